"""mockhub's control plane (`/_mockhub/...`): health, reset, seed, snapshot, journal, faults, clock, inbox."""


class ControlPlane:
    """Mixed into AngoClient; every call here needs a mockhub server (a real Ango Hub has none of them)."""

    def _control(self, method, path, payload=None, params=None):
        return self.request(method, f"/_mockhub{path}", payload, params=params)

    def health(self):
        return self.request("GET", "/_mockhub/health", auth=False)

    def whoami(self):
        """The user and organization this client's key resolves to."""
        return self._control("GET", "/whoami")

    def get_organization_id(self):
        return self.whoami()["user"]["organization"]

    def reset(self, organization=None, api_key=None, missing_ok=False):
        """Reset everything, or one organization (by id, or by one of its API keys)."""
        from mockhub_client.client import ApiError

        payload = {key: value for key, value in (("organization", organization), ("apiKey", api_key)) if value}
        try:
            return self._control("POST", "/reset", payload)
        except ApiError as exc:
            if missing_ok and exc.status == 404:
                return None
            raise

    def seed(self, fixture, replace=False):
        """Seed a fixture; with `replace`, the organizations its API keys belong to are dropped first."""
        return self._control("POST", "/seed", fixture, params={"replace": "true"} if replace else None)

    def accept_invite(self, email, api_key=None, name=None):
        """Accept a pending invite (the person becomes a member, with this API key if given)."""
        payload = {key: value for key, value in (("email", email), ("apiKey", api_key), ("name", name)) if value}
        return self._control("POST", "/invites/accept", payload)["user"]

    def snapshot(self):
        return self.request("GET", "/_mockhub/snapshot")

    def journal(self, **filters):
        return self._control("GET", "/journal", params=filters)["requests"]

    def clear_journal(self):
        return self._control("DELETE", "/journal")

    def add_fault(self, rule):
        return self._control("POST", "/faults", rule)["fault"]

    def faults(self):
        return self._control("GET", "/faults")

    def delete_fault(self, rule_id):
        return self._control("DELETE", f"/faults/{rule_id}")

    def clear_faults(self):
        return self._control("DELETE", "/faults")

    def set_rate_limit(self, per_minute=100, enabled=True):
        return self._control("POST", "/faults/rate-limit", {"enabled": enabled, "perMinute": per_minute})

    def clock(self):
        return self._control("GET", "/clock")["clock"]

    def freeze_clock(self, at=None):
        return self._control("POST", "/clock/freeze", {"at": at} if at else {})["clock"]

    def set_clock(self, at):
        return self._control("POST", "/clock/set", {"at": at})["clock"]

    def advance_clock(self, seconds):
        return self._control("POST", "/clock/advance", {"seconds": seconds})["clock"]

    def unfreeze_clock(self):
        return self._control("POST", "/clock/unfreeze", {})["clock"]

    def inbox(self, name):
        return self._control("GET", f"/inbox/{name}")["messages"]

    def clear_inbox(self, name):
        return self._control("DELETE", f"/inbox/{name}")

    def webhook_deliveries(self, project_id=None):
        return self._control("GET", "/webhooks/deliveries", params={"project": project_id} if project_id else None)[
            "deliveries"]

    def notifications(self, organization_id=None):
        """Notifications sent with send_notification (mockhub keeps them for tests to read)."""
        params = {"organization": organization_id} if organization_id else None
        return self._control("GET", "/notifications", params=params)["notifications"]

    def coverage(self):
        return self._control("GET", "/coverage")["coverage"]
