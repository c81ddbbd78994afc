"""Plugin hosting: users' Ango plugins connect over Socket.IO (`/plugin`) and get jobs; see host.py."""
