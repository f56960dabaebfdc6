/**
 * Builds the endpoint service worker as its own file, `<outDir>/sw.js`, in a second Vite
 * build after the app's: one classic script with tfjs and Dexie inlined (a service worker
 * cannot import() chunks at run time), and nothing of it in the main bundle. In dev, /sw.js
 * is a module worker that imports the TypeScript source through the dev server.
 */
import { build, type Plugin, type ResolvedConfig } from 'vite';

export function endpointServiceWorker(entry = 'src/serving/browser/sw.ts'): Plugin {
  let config: ResolvedConfig;
  let nested = false;
  return {
    name: 'pipeline-studio:endpoint-service-worker',
    configResolved(resolved) {
      config = resolved;
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (request.url?.split('?')[0] !== `${config.base}sw.js`) return next();
        response.setHeader('content-type', 'text/javascript');
        response.setHeader('service-worker-allowed', config.base);
        response.end(`import '${config.base}${entry}';\n`);
      });
    },
    async closeBundle() {
      if (config.command !== 'build' || nested || config.build.ssr) return;
      nested = true;
      await build({
        configFile: false,
        root: config.root,
        base: config.base,
        mode: config.mode,
        logLevel: 'warn',
        publicDir: false,
        build: {
          outDir: config.build.outDir,
          emptyOutDir: false,
          target: 'es2022',
          sourcemap: false,
          chunkSizeWarningLimit: 8000,
          rollupOptions: {
            input: { sw: entry },
            output: { format: 'iife', entryFileNames: 'sw.js' },
          },
        },
      });
    },
  };
}
