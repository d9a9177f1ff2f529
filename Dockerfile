# glm-mcp over streamable HTTP, for a team (docs/deploy.md). Build: docker build -t glm-mcp .
# Run: docker run -e GLM_API_KEY -e GLM_MCP_HTTP_TOKEN -p 3000:3000 glm-mcp

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the prepare script builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    GLM_MCP_HTTP=1 \
    GLM_MCP_HOST=0.0.0.0 \
    GLM_MCP_PORT=3000 \
    GLM_MCP_OUTPUT_DIR=/data/output
WORKDIR /app
COPY package.json package-lock.json ./
# sharp ships its libvips as a prebuilt npm package, so nothing else is installed.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /data/output && chown node:node /data/output
# Not root. A non-loopback host requires GLM_MCP_HTTP_TOKEN: without it the server refuses to start.
USER node
VOLUME /data/output
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.GLM_MCP_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/index.cjs"]
