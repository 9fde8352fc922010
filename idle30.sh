REQ="$(printf 'GET /v1/rules HTTP/1.1\r\nHost: x\r\n\r\n%.0s' $(seq 200))"
for i in $(seq 40); do exec {fd}<>/dev/tcp/127.0.0.1/18430; printf '%s' "$REQ" >&$fd; done
sleep 12
