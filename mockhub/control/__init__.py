"""The control plane under /_mockhub/: what test writers use to see and steer the emulator."""
