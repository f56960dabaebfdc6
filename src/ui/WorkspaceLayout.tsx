/**
 * The editor's resizable frame: side panel | canvas over output | inspector. Sizes are dragged
 * on the separators (or moved with the arrow keys once focused) and remembered in localStorage
 * across reloads; only sizes a person chose are saved, not those forced by a small window.
 */
import { useMemo, useState } from 'react';
import { Group, Panel, Separator, useDefaultLayout, usePanelRef } from 'react-resizable-panels';
import { Boundary } from './Boundary';
import { Canvas } from './canvas/Canvas';
import { Inspector } from './inspector/Inspector';
import { OutputPanelContext, type OutputPanelControl } from './layoutContext';
import { OutputPanel } from './output/OutputPanel';
import { SidePanel } from './SidePanel';

/** Height of the output panel when collapsed to its header (px). */
const OUTPUT_COLLAPSED = 34;

/** First-visit sizes (px): a narrow window keeps more of its width for the canvas. */
function defaultSizes(): { side: number; inspector: number } {
  return typeof window !== 'undefined' && window.innerWidth < 1200 ? { side: 220, inspector: 250 } : { side: 250, inspector: 300 };
}

export function WorkspaceLayout() {
  const columns = useDefaultLayout({ id: 'pipeline-studio:workspace', storage: localStorage, onlySaveAfterUserInteractions: true });
  const rows = useDefaultLayout({ id: 'pipeline-studio:center', storage: localStorage, onlySaveAfterUserInteractions: true });
  const output = usePanelRef();
  const [outputOpen, setOutputOpen] = useState(true);
  const [sizes] = useState(defaultSizes);
  const control = useMemo<OutputPanelControl>(
    () => ({
      open: outputOpen,
      setOpen(open) {
        if (open) output.current?.expand();
        else output.current?.collapse();
      },
    }),
    [outputOpen, output],
  );
  return (
    <Group id="workspace" orientation="horizontal" className="panels" defaultLayout={columns.defaultLayout} onLayoutChanged={columns.onLayoutChanged}>
      <Panel id="side" data-testid="panel-side" defaultSize={sizes.side} minSize={170} maxSize="45%">
        <SidePanel />
      </Panel>
      <Separator className="resize-handle" data-testid="resize-side" aria-label="Resize the side panel" />
      <Panel id="center" data-testid="panel-center" minSize={280}>
        <Group id="center" orientation="vertical" defaultLayout={rows.defaultLayout} onLayoutChanged={rows.onLayoutChanged}>
          <Panel id="canvas" data-testid="panel-canvas" minSize={120}>
            <main className="center">
              <Boundary what="The canvas">
                <Canvas />
              </Boundary>
            </main>
          </Panel>
          <Separator className="resize-handle" data-testid="resize-output" aria-label="Resize the output panel" />
          <Panel
            id="output"
            data-testid="panel-output"
            defaultSize={220}
            minSize={90}
            collapsible
            collapsedSize={OUTPUT_COLLAPSED}
            panelRef={output}
            onResize={(size) => setOutputOpen(size.inPixels > OUTPUT_COLLAPSED + 1)}
          >
            <OutputPanelContext.Provider value={control}>
              <OutputPanel />
            </OutputPanelContext.Provider>
          </Panel>
        </Group>
      </Panel>
      <Separator className="resize-handle" data-testid="resize-inspector" aria-label="Resize the inspector" />
      <Panel id="inspector" data-testid="panel-inspector" defaultSize={sizes.inspector} minSize={200} maxSize="45%">
        <Inspector />
      </Panel>
    </Group>
  );
}
