# A scratch image holding only the fully static binary (build it first: ./publish.sh --static).
#   docker build -t orchestrator . && docker run -i --rm -v orchestrator-data:/data orchestrator
# MCP over stdio: the client runs `docker run -i …` as its server command. The container runtime provides
# /dev/urandom and /dev/null, the only files the binary needs besides its data directory
# (tests/Orchestrator.Tests/EndToEnd/EmptyRootTests.cs proves this in an empty chroot).
# The Streamable HTTP transport (with its listening port) is not in this build yet.
FROM scratch
COPY artifacts/orchestrator-static /orchestrator
ENV ORCHESTRATOR_DATA_DIR=/data
VOLUME ["/data"]
ENTRYPOINT ["/orchestrator"]
