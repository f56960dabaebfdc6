/**
 * The editor's resizable frame: side panel | canvas over output | inspector. Sizes are dragged
 * on the separators (or moved with the arrow keys once focused) and remembered in localStorage
 * across reloads; only sizes a person chose are saved, not those forced by a small window.
 * Side panel, inspector and output panel have sizes in pixels; the canvas takes the rest.
 */
import { Boundary } from './Boundary';
import { Canvas } from './canvas/Canvas';
import { Inspector } from './inspector/Inspector';
import { Separator } from './layout/Separator';
import { useWorkspaceSizes } from './layout/useWorkspaceSizes';
import { OutputPanelContext } from './layoutContext';
import { OutputPanel } from './output/OutputPanel';
import { SidePanel } from './SidePanel';

export function WorkspaceLayout() {
  const { workspaceRef, centerRef, sizes, separators, outputControl } = useWorkspaceSizes();
  return (
    <div className="panels" ref={workspaceRef}>
      <div id="workspace-side" className="panel" data-testid="panel-side" style={{ width: sizes.side }}>
        <SidePanel />
      </div>
      <Separator orientation="vertical" label="Resize the side panel" controls="workspace-side" testId="resize-side" model={separators.side} />
      <div id="workspace-center" className="panel panel-center" data-testid="panel-center" ref={centerRef}>
        <div className="panel panel-canvas" data-testid="panel-canvas">
          <main className="center">
            <Boundary what="The canvas">
              <Canvas />
            </Boundary>
          </main>
        </div>
        <Separator orientation="horizontal" label="Resize the output panel" controls="workspace-output" testId="resize-output" model={separators.output} />
        <div id="workspace-output" className="panel" data-testid="panel-output" style={{ height: sizes.output }}>
          <OutputPanelContext.Provider value={outputControl}>
            <OutputPanel />
          </OutputPanelContext.Provider>
        </div>
      </div>
      <Separator orientation="vertical" label="Resize the inspector" controls="workspace-inspector" testId="resize-inspector" model={separators.inspector} />
      <div id="workspace-inspector" className="panel" data-testid="panel-inspector" style={{ width: sizes.inspector }}>
        <Inspector />
      </div>
    </div>
  );
}
