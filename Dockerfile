# Builds a static pokerd and ships it alone, as a non-root user, on port 8000.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# The same command as `make build`: no cgo, trimmed paths, version stamped.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/pokerd ./cmd/pokerd

FROM scratch
COPY --from=build /out/pokerd /pokerd
USER 65532:65532
EXPOSE 8000
ENV PP_ADDR=:8000
ENTRYPOINT ["/pokerd"]
