"""Organization endpoints: members, invites, notifications."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.organization import (DeleteInvitesSchema, DeleteMembersSchema, InviteSchema, InvitesQuery,
                                          MembersQuery, NotificationSchema, UpdateMembersSchema)

bp = Blueprint("organization", __name__)


@bp.get("/organization/<org_id>/users")
@responds("users", shapes.MemberSchema, many=True)
@arguments(MembersQuery, location="query")
def get_organization_members(org_id, query):
    users, total = store().get_organization_members(caller(), org_id, query["page"], query.get("search"))
    return ok(users=users, total=total)


@bp.post("/organization/<org_id>/users")
@arguments(UpdateMembersSchema)
def update_organization_members_role(org_id, body):
    return ok(users=store().update_organization_members_role(caller(), org_id, body["users"]))


@bp.delete("/organization/<org_id>/users")
@arguments(DeleteMembersSchema)
def delete_organization_members(org_id, body):
    return ok(**store().delete_organization_members(caller(), org_id, body["users"]))


@bp.get("/organization/<org_id>/invites")
@responds("invites", shapes.InviteSchema, many=True)
@arguments(InvitesQuery, location="query")
def get_organization_invites(org_id, query):
    return ok(invites=store().get_organization_invites(caller(), org_id, query.get("status")))


@bp.post("/organization/<org_id>/invites")
@responds("invites", shapes.InviteSchema, many=True)
@arguments(InviteSchema)
def invite_members_to_org(org_id, body):
    invites = store().invite_members_to_org(caller(), org_id, body["to"], body["organizationRole"],
                                            body["projectAssignments"])
    return ok(201, invites=invites)


@bp.delete("/organization/<org_id>/invites")
@arguments(DeleteInvitesSchema)
def delete_organization_invites(org_id, body):
    return ok(**store().delete_organization_invites(caller(), org_id, body["invites"]))


@bp.post("/notifications")
@responds("notification", shapes.NotificationSchema)
@arguments(NotificationSchema)
def send_notification(body):
    notification = store().send_notification(caller(), body["receivers"], body["message"], body.get("title"),
                                              body.get("clickableLink"))
    return ok(201, notification=notification)
