# syntax=docker/dockerfile:1

# Build stage: a static binary (no cgo), reproducible paths, no debug symbols.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/transcriptbot ./cmd/transcriptbot

# Final stage: distroless static has CA certificates and time zones, no shell and no curl
# (hence the healthcheck subcommand), and a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/transcriptbot /usr/local/bin/transcriptbot
# The nonroot user of the distroless image, by number so that runAsNonRoot checks can see it.
USER 65532:65532
ENV HTTP_ADDR=:8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["transcriptbot", "healthcheck"]
ENTRYPOINT ["transcriptbot"]
CMD ["serve"]
