/** The output panel's open/closed state, owned by the resizable layout that holds it. */
import { createContext } from 'react';

export interface OutputPanelControl {
  open: boolean;
  setOpen(open: boolean): void;
}

export const OutputPanelContext = createContext<OutputPanelControl | null>(null);
