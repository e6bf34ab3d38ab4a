# Builds a static pokerd and ships it alone, as a non-root user, on port 8000.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# `make build` itself (the golang image has make): no cgo, trimmed paths, version
# stamped. `make container-proof` runs a binary built by the same target alone in an
# empty root, so what it proves holds for this image.
RUN make build VERSION="${VERSION}" BIN=/out/pokerd
# The rooms' database lives on a volume at /data, owned by the user pokerd runs as (a
# named volume takes the directory's owner the first time it is mounted).
RUN mkdir -p /out/data

FROM scratch
COPY --from=build /out/pokerd /pokerd
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
EXPOSE 8000
ENV PP_ADDR=:8000
ENV PP_DATA=/data/pokerd.db
VOLUME /data
ENTRYPOINT ["/pokerd"]
