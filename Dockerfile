# One image for both lethe tasks on ECS Fargate.
#   find task:      node dist/tasks/find.js   (the task definition overrides the entrypoint)
#   forget service: node dist/tasks/cli.js worker   (the default below)
# .ci/docker-steps.sh runs these same steps outside Docker in CI, so a broken step fails CI.
# Node 22: Node 20 is past its end of life, and the AWS SDK requires 22 from January 2027.

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; DuckDB's native binding comes from its platform package.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The task definitions mount a writable /tmp and keep the root filesystem read-only.
USER node
ENTRYPOINT ["node", "dist/tasks/cli.js"]
CMD ["worker"]
