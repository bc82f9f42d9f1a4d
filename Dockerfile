# A scratch image holding only the fully static binary (build it first: ./publish.sh --static), serving MCP over
# Streamable HTTP on port 8080:
#   docker build -t orchestrator . && docker run --rm -p 127.0.0.1:8080:8080 -e ORCHESTRATOR_AUTH_TOKEN=… -v orchestrator-data:/data orchestrator
#   → http://127.0.0.1:8080/mcp  (send "Authorization: Bearer …" when a token is set)
# Inside the container the server must bind 0.0.0.0 to be reachable through the published port, hence
# ORCHESTRATOR_HTTP_ALLOW_REMOTE; set ORCHESTRATOR_AUTH_TOKEN (or mount a file for ORCHESTRATOR_AUTH_TOKEN_FILE, mode
# 0600, or add ORCHESTRATOR_ALLOW_READABLE_TOKEN_FILE=1 for a secret mounted 0444) whenever the port is reachable
# beyond this machine. See docs/security.md. An in-place restart keeps the listening socket: no
# connection is refused while the process image is replaced.
# For stdio instead (the client runs `docker run -i …` as its server command): docker run -i --rm -e ORCHESTRATOR_HTTP= …
# The container runtime provides /dev/urandom and /dev/null, the only files the binary needs besides its data
# directory (tests/Orchestrator.Tests/EndToEnd/EmptyRootTests.cs proves this, over stdio and HTTP, in an empty chroot).
FROM scratch
COPY artifacts/orchestrator-static /orchestrator
ENV ORCHESTRATOR_DATA_DIR=/data \
    ORCHESTRATOR_HTTP=0.0.0.0:8080 \
    ORCHESTRATOR_HTTP_ALLOW_REMOTE=1
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["/orchestrator"]
