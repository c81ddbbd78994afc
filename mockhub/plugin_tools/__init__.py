"""For plugin authors: run Ango plugin scripts, unmodified, against mockhub.

`launcher` (runs in the plugin's own Python) points a script at mockhub; `process` registers and starts it and
reads its sessions; `cli` is `mockhub plugin SCRIPT`; `fixture` is the `ango_plugin` pytest fixture; `coverage`
is the plugin section of docs/coverage.md. The hosting itself (Socket.IO, sessions) is `mockhub.plugins`.
"""
