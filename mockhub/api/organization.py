"""Organization endpoints: members, invites, notifications."""
from flask import Blueprint, request

from mockhub.api.common import body, caller, ok, page_args, store
from mockhub.schemas import load
from mockhub.schemas.organization import (DeleteInvitesSchema, DeleteMembersSchema, InviteSchema, NotificationSchema,
                                          UpdateMembersSchema)

bp = Blueprint("organization", __name__)


@bp.get("/organization/<org_id>/users")
def get_organization_members(org_id):
    users, total = store().get_organization_members(caller(), org_id, page_args(), request.args.get("search"))
    return ok(users=users, total=total)


@bp.post("/organization/<org_id>/users")
def update_organization_members_role(org_id):
    data = load(UpdateMembersSchema(), body())
    return ok(users=store().update_organization_members_role(caller(), org_id, data["users"]))


@bp.delete("/organization/<org_id>/users")
def delete_organization_members(org_id):
    data = load(DeleteMembersSchema(), body())
    return ok(**store().delete_organization_members(caller(), org_id, data["users"]))


@bp.get("/organization/<org_id>/invites")
def get_organization_invites(org_id):
    return ok(invites=store().get_organization_invites(caller(), org_id, request.args.get("status")))


@bp.post("/organization/<org_id>/invites")
def invite_members_to_org(org_id):
    data = load(InviteSchema(), body())
    invites = store().invite_members_to_org(caller(), org_id, data["to"], data["organizationRole"],
                                            data["projectAssignments"])
    return ok(201, invites=invites)


@bp.delete("/organization/<org_id>/invites")
def delete_organization_invites(org_id):
    data = load(DeleteInvitesSchema(), body())
    return ok(**store().delete_organization_invites(caller(), org_id, data["invites"]))


@bp.post("/notifications")
def send_notification():
    data = load(NotificationSchema(), body())
    notification = store().send_notification(caller(), data["receivers"], data["message"], data.get("title"),
                                              data.get("clickableLink"))
    return ok(201, notification=notification)
