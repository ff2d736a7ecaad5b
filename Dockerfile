# The project image, used by docker-compose.yml for the API and the one-shot crawler.
FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# No dev dependencies, and no embedded Meilisearch binary: compose runs the official image.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json sources.yaml partners.yaml ./
COPY core ./core
COPY store ./store
COPY meili ./meili
COPY crawler ./crawler
COPY indexer ./indexer
COPY workflow ./workflow
COPY api ./api
COPY browser ./browser
RUN mkdir -p /data && chown node:node /data
USER node
ENV HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
