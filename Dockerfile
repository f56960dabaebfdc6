# The pipeline-studio CLI as a container image: what compiled KFP / Argo tasks run
# (`pipeline-studio run-node …`), and `run`, `serve`, `compile` as well.
#   docker build -t pipeline-studio:0.1.0 .
#   docker run --rm pipeline-studio:0.1.0 run public/examples/iris-mlp.json
# Production dependencies only; TypeScript runs through tsx (a production dependency), so
# there is no build step. Runs as the image's non-root "node" user (uid 1000).
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: none of the production dependencies needs one (esbuild finds its
# platform binary in its optional @esbuild/* package).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-alpine
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY public/samples ./public/samples
COPY public/examples ./public/examples
RUN ln -s /app/bin/pipeline-studio.js /usr/local/bin/pipeline-studio \
 && mkdir -p /work && chown node:node /work
USER node
WORKDIR /work
ENTRYPOINT ["pipeline-studio"]
CMD ["--help"]
