/**
 * The "New from data" button. Its dialog, and src/auto behind it, load when it is first opened:
 * the empty canvas shows the button on the page's first load.
 */
import { lazy, Suspense, useState } from 'react';
import { createPortal } from 'react-dom';
import { Boundary } from '../Boundary';

const NewFromDataDialog = lazy(() => import('./NewFromData').then((m) => ({ default: m.NewFromDataDialog })));

/** Opens the dialog, drawn over the whole app. */
export function NewFromDataButton({ className }: { className?: string }) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <button className={className} onClick={() => setOpen(true)} data-testid="new-from-data-button">
        New from data…
      </button>
      {open &&
        createPortal(
          <Boundary what="New from data">
            <Suspense fallback={null}>
              <NewFromDataDialog onClose={close} />
            </Suspense>
          </Boundary>,
          document.body,
        )}
    </>
  );
}
