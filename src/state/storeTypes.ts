import type { StateCreator } from 'zustand';
import type { GraphSlice } from './graphSlice';
import type { HistorySlice } from './historySlice';
import type { RunSlice } from './runSlice';
import type { UiSlice } from './uiSlice';

export type EditorState = GraphSlice & RunSlice & UiSlice & HistorySlice;

/** A slice creator over the combined store (zustand's slices pattern). */
export type StoreSlice<T> = StateCreator<EditorState, [['temporal', unknown]], [], T>;
