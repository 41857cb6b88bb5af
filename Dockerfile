# gst-stt service image: Debian 12, built from this source tree, runs as a non-root user and
# serves the Speech SDK protocol on port 5000. Every step is a script of the repo that the
# tests run too; nothing is downloaded but Debian packages.
# The default models are taken from the host's `make build` (build/models): training the
# punctuation model fetches its text from the npm registry, which an image build must not do.
#   make build && docker build -t gst-stt . && docker run -p 5000:5000 gst-stt Eula=accept
FROM debian:12

COPY . /src
WORKDIR /src
RUN tools/dev/setup-debian.sh && MODELS_FROM=/src/build/models MODELS_DIR=/usr/local/models tools/dev/install.sh /usr/local \
    && useradd --system --uid 1000 --home-dir /var/lib/stt --create-home stt \
    && mkdir -p /usr/local/models /output /license \
    && chown stt /usr/local/models /output /license

USER stt
ENV STT_MODEL_PATH=/usr/local/models \
    OPENBLAS_NUM_THREADS=1 \
    GST_PLUGIN_PATH=/usr/local/lib/gstreamer-1.0
EXPOSE 5000
ENTRYPOINT ["stt-container"]
