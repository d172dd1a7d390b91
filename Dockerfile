# syntax=docker/dockerfile:1
# Saathi in a container: one static binary (CGO_ENABLED=0; the flows and
# locales are embedded in it) on distroless/static, run as a non-root user.
#   docker build -t saathi .
#   docker run --rm saathi version
# See compose.yaml for Redis and serve together.
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# -buildvcs=auto stamps the git revision when the context has a .git
# directory (saathi version, saathi_build_info); -trimpath keeps build
# paths out of the binary.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOFLAGS=-buildvcs=auto go build -trimpath -ldflags='-s -w' -o /out/saathi ./cmd/saathi \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/saathi /usr/local/bin/saathi
# /data: the WhatsApp session (WHATSAPP_DB=/data/wa.db), owned by nonroot.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
ENV SAATHI_HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/saathi"]
CMD ["serve"]
