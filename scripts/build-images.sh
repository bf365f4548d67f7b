#!/usr/bin/env bash
# Builds the container images from the shipped Dockerfiles with podman, offline: the base is built
# from Debian packages (mmdebstrap --variant=minbase, images/base.packages) and passed to every
# Dockerfile as BASE_IMAGE, the same build argument users leave at its public default.
#
#   scripts/build-images.sh [operator] [trainer] [aggregator] [trainer-cuda]
#
# Default: operator trainer aggregator. Needs the modules' build output first
# (mvn -B -DskipTests package). Images are tagged $FLOTILLA_IMAGE_REPO/flotilla-<name>:<version>
# (default repository localhost, version from the root pom). FLOTILLA_BASE_IMAGE set: use that
# image as the base instead of building one. The base's root filesystem is cached in
# ~/.cache/flotilla/images/ under the hash of its package list. trainer-cuda builds the stages that
# can be built without the CUDA base (see docs/deploy.md section 8).
# Prints one "image NAME SIZE_BYTES BUILD_TIME ms" line per image built.
set -euo pipefail
shopt -s inherit_errexit
repo="$(cd "$(dirname "$0")/.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$repo/images/containers.conf}"
cache="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}/images"
registry="${FLOTILLA_IMAGE_REPO:-localhost}"
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -n1)"
suite=bookworm
images=("$@")
[[ ${#images[@]} -gt 0 ]] || images=(operator trainer aggregator)

command -v podman >/dev/null || {
  echo "build-images: podman is required (Debian: apt-get install podman buildah runc mmdebstrap)" >&2
  exit 2
}

# The Debian base: one root filesystem per package list, imported once into the image store.
base_image() {
  if [[ -n "${FLOTILLA_BASE_IMAGE:-}" ]]; then
    echo "$FLOTILLA_BASE_IMAGE"
    return
  fi
  local packages key tag tar
  packages="$(grep -v -e '^#' -e '^$' "$repo/images/base.packages" | paste -sd, -)"
  key="$(printf '%s\n%s\n' "$suite" "$packages" | sha256sum | cut -c1-16)"
  tag="localhost/flotilla-base:$suite-$key"
  if podman image exists "$tag"; then
    echo "$tag"
    return
  fi
  tar="$cache/base-$suite-$key.tar"
  if [[ ! -f "$tar" ]]; then
    command -v mmdebstrap >/dev/null || {
      echo "build-images: mmdebstrap is required to build the base image" >&2
      exit 2
    }
    mkdir -p "$cache"
    echo "build-images: building the Debian base ($packages) with mmdebstrap..." >&2
    # Fixed timestamps: the same package versions give the same tarball.
    rm -f "$tar.partial"
    SOURCE_DATE_EPOCH=0 mmdebstrap --quiet --format=tar --variant=minbase --include="$packages" \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
      "$suite" "$tar.partial" \
      "deb http://deb.debian.org/debian $suite main" \
      "deb http://deb.debian.org/debian $suite-updates main" \
      "deb http://deb.debian.org/debian-security $suite-security main" >&2
    mv "$tar.partial" "$tar"
  fi
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    "$tar" "$tag" >/dev/null
  echo "$tag"
}

# build NAME DOCKERFILE CONTEXT [podman build options...]
build() {
  local name="$1" dockerfile="$2" context="$3" tag start size
  shift 3
  tag="$registry/flotilla-$name:$version"
  start=$(date +%s%N)
  podman build --quiet --layers --pull=never --ignorefile "$dockerfile.dockerignore" \
    --build-arg "BASE_IMAGE=$base" --build-arg "VERSION=$version" \
    -f "$dockerfile" -t "$tag" "$@" "$context" >/dev/null
  size="$(podman image inspect --format '{{.Size}}' "$tag")"
  echo "image $tag $size $((($(date +%s%N) - start) / 1000000)) ms"
}

require() {
  for path in "$@"; do
    [[ -e "$repo/$path" ]] || {
      echo "build-images: $path is missing: run mvn -B -DskipTests package first" >&2
      exit 2
    }
  done
}

base="$(base_image)"
echo "base $base $(podman image inspect --format '{{.Size}}' "$base")"
for image in "${images[@]}"; do
  case "$image" in
    operator)
      require operator/target/quarkus-app/quarkus-run.jar
      build operator "$repo/operator/src/main/docker/Dockerfile.jvm" "$repo/operator"
      ;;
    trainer)
      require "trainer-image/target/flotilla-trainer-$version.jar" trainer-image/target/lib
      build trainer "$repo/trainer-image/Dockerfile" "$repo/trainer-image"
      ;;
    aggregator)
      require "aggregator-image/target/flotilla-aggregator-$version.jar" aggregator-image/target/lib
      build aggregator "$repo/aggregator-image/Dockerfile" "$repo/aggregator-image"
      ;;
    trainer-cuda)
      # Only the app stage: the CUDA base and the Maven stage come from Docker Hub, and the CUDA
      # natives from Maven Central (docs/deploy.md section 8).
      require "trainer-image/target/flotilla-trainer-$version.jar" trainer-image/target/lib
      build trainer-cuda-app "$repo/trainer-image/Dockerfile.cuda" "$repo/trainer-image" \
        --target app --build-arg "APP_IMAGE=$base"
      ;;
    *)
      echo "build-images: unknown image '$image' (operator, trainer, aggregator, trainer-cuda)" >&2
      exit 2
      ;;
  esac
done
