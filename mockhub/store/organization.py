"""Organization operations: members (list, roles, removal), invites (create, list, delete, accept), notifications."""
from datetime import timedelta

from mockhub.clock import iso
from mockhub.errors import BadRequest, Forbidden, NotFound
from mockhub.store.db import clone

ORG_ROLES = ("admin", "member", "guest")
MEMBER_FIELDS = ("_id", "email", "name", "organizationRole", "createdAt")


class Organization:
    """An organization's members, invites and notifications."""

    def __init__(self, tables, clock, ids, tenancy, projects):
        self.tables, self.clock, self.ids, self.tenancy, self.projects = tables, clock, ids, tenancy, projects

    def require_organization(self, user, org_id, admin=False):
        """The caller's own organization (another one is invisible: 404); `admin` demands an admin caller."""
        if org_id != user["organization"] or org_id not in self.tables.c["organizations"]:
            raise NotFound(f"Organization not found: {org_id}")
        if admin and user.get("organizationRole") != "admin":
            raise Forbidden("Forbidden: only an organization admin can do this")
        return self.tables.c["organizations"].get(org_id)

    def _members(self, org_id):
        return sorted((u for u in self.tables.c["users"].scan() if u["organization"] == org_id),
                      key=lambda u: (u["createdAt"], u["email"]))

    def get_organization_members(self, user, org_id, page, search=None):
        """Return (members, total), oldest first; `search` matches email or name, case-insensitively."""
        self.require_organization(user, org_id)
        needle = (search or "").lower()
        found = [u for u in self._members(org_id) if needle in u["email"].lower() or needle in u["name"].lower()]
        items = found[page.offset:page.offset + page.limit]
        return [{key: clone(u.get(key)) for key in MEMBER_FIELDS} for u in items], len(found)

    def update_organization_members_role(self, user, org_id, updates):
        """Change members' organization roles; each update succeeds or fails on its own (reported per user)."""
        self.require_organization(user, org_id, admin=True)
        results = []
        for update in updates:
            member, role = self.tenancy.member(org_id, update["email"]), update["organizationRole"].lower()
            admins = [u for u in self._members(org_id) if u["organizationRole"] == "admin"]
            if member is None:
                results.append({"email": update["email"], "status": "failed", "reason": "not a member"})
            elif member["organizationRole"] == "admin" and role != "admin" and len(admins) == 1:
                results.append({"email": update["email"], "status": "failed", "reason": "the last admin"})
            else:
                self.tables.c["users"].update(member["_id"], {"organizationRole": role})
                results.append({"email": member["email"], "status": "updated", "organizationRole": role})
        updated = sum(r["status"] == "updated" for r in results)
        return {"updated": updated, "failed": len(results) - updated, "results": results}

    def delete_organization_members(self, user, org_id, emails):
        """Remove members (their keys stop working, they leave every project); report deleted and failed."""
        self.require_organization(user, org_id, admin=True)
        deleted, failed = [], []
        for email in emails:
            member = self.tenancy.member(org_id, email)
            if member is None or member["_id"] == user["_id"]:
                failed.append({"email": email, "reason": "not a member" if member is None else "cannot remove yourself"})
                continue
            self._remove_user(member)
            deleted.append(member["email"])
        return {"deleted": len(deleted), "failed": len(failed), "deletedEmails": deleted, "failures": failed}

    def _remove_user(self, member):
        self.tables.c["users"].remove(member["_id"])
        self.tenancy.forget_user(member)
        for project in self.tables.c["projects"].scan():
            if project["organization"] == member["organization"]:
                kept = [m for m in project["assignedTo"] if m["assignee"].lower() != member["email"].lower()]
                if len(kept) != len(project["assignedTo"]):
                    self.tables.c["projects"].update(project["_id"], {"assignedTo": kept})

    def _pending_invites(self, org_id):
        return [i for i in self.tables.c["invites"].scan() if i["organization"] == org_id and i["status"] == "Pending"]

    def invite_members_to_org(self, user, org_id, emails, role, assignments):
        """Invite people (pending until accepted), optionally straight into projects with a role."""
        self.require_organization(user, org_id, admin=True)
        for index, assignment in enumerate(assignments):
            self.projects.require_project(user, assignment["projectId"])
        members = [e for e in emails if self.tenancy.member(org_id, e)]
        if members:
            raise BadRequest(f"to: already members of the organization: {', '.join(members)}")
        pending = {i["to"].lower() for i in self._pending_invites(org_id)}
        now = self.clock.now()
        created = []
        for email in emails:
            if email.lower() in pending:
                continue
            invite = {"_id": self.ids.object_id(), "organization": org_id, "to": email,
                      "organizationRole": role.lower(), "projectAssignments": clone(assignments),
                      "status": "Pending", "createdBy": user["email"], "createdAt": iso(now),
                      "expiresAt": iso(now + timedelta(days=7))}
            self.tables.c["invites"].insert(invite)
            created.append(clone(invite))
        return created

    def get_organization_invites(self, user, org_id, status="pending"):
        """Return the organization's invites with that status (the SDK asks for `pending`)."""
        self.require_organization(user, org_id)
        wanted = (status or "pending").lower()
        return [clone(i) for i in self.tables.c["invites"].scan()
                if i["organization"] == org_id and i["status"].lower() == wanted]

    def delete_organization_invites(self, user, org_id, emails):
        """Withdraw pending invites by email; report deleted and failed."""
        self.require_organization(user, org_id, admin=True)
        by_email = {i["to"].lower(): i for i in self._pending_invites(org_id)}
        deleted = [by_email[e.lower()] for e in emails if e.lower() in by_email]
        for invite in deleted:
            self.tables.c["invites"].remove(invite["_id"])
        return {"deleted": len(deleted), "failed": len(emails) - len(deleted)}

    def accept_invite(self, email, api_key=None, name=None, org_id=None):
        """Turn a pending invite into a member (with its project roles): the control plane's and fixtures' way."""
        invites = [i for i in self.tables.c["invites"].scan() if i["to"].lower() == email.lower() and i["status"] == "Pending"
                   and org_id in (None, i["organization"])]
        if not invites:
            raise NotFound(f"No pending invite for {email}")
        if api_key and api_key in self.tenancy.users_by_key:
            raise BadRequest(f"apiKey: {api_key} is already in use")
        invite = invites[0]
        member = self.tenancy.create_user(invite["organization"], invite["to"], invite["organizationRole"], api_key, name)
        for assignment in invite["projectAssignments"]:
            project = self.tables.c["projects"].get(assignment["projectId"])
            if project and not project["deleted"]:
                members = [m for m in project["assignedTo"] if m["assignee"].lower() != email.lower()]
                members.append({"assignee": invite["to"], "role": assignment["projectRole"]})
                self.tables.c["projects"].update(project["_id"], {"assignedTo": members})
        self.tables.c["invites"].update(invite["_id"], {"status": "Accepted"})
        return {key: clone(member.get(key)) for key in MEMBER_FIELDS + ("organization",)}

    def send_notification(self, user, receivers, message, title=None, link=None):
        """Notify organization members (all must be members, or nothing is sent); only admins may send."""
        org_id = user["organization"]
        self.require_organization(user, org_id, admin=True)
        strangers = [r for r in receivers if self.tenancy.member(org_id, r) is None]
        if strangers:
            raise BadRequest(f"receivers: not members of the organization: {', '.join(strangers)}")
        notification = {"_id": self.ids.object_id(), "organization": org_id, "sender": user["email"],
                        "receivers": list(receivers), "message": message, "title": title, "clickableLink": link,
                        "createdAt": self.clock.now_iso()}
        self.tables.c["notifications"].insert(notification)
        return clone(notification)

    def notifications(self, org_id=None):
        """Every notification sent (for the control plane), oldest first."""
        return [clone(n) for n in self.tables.c["notifications"].scan() if org_id in (None, n["organization"])]
