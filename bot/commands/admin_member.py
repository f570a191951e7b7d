"""`/leadcell member list|add|roles|deactivate|activate` and `/leadcell me`: the roster."""

from __future__ import annotations

from bot.commands.admin_request import AdminRequest
from bot.grammar.admin_words import (
    parse_language,
    parse_member,
    parse_name,
    parse_role_edit,
    parse_roles,
)
from bot.grammar.command_line import CommandProblem, Missing
from bot.i18n import Reader
from bot.readers import person_language
from bot.views.leadcell import Answer
from bot.views.roster import active_changed, member_added, member_list, own_settings, roles_changed
from models.errors import InvalidInput
from models.policy import Action
from models.roster import add_member, roster_of, set_active, set_own_language, set_roles


def list_members(request: AdminRequest) -> Answer:
    """`member list [<team>]`: a team's roster (default: the requester's; org admins: all)."""
    words = request.words
    slug = words.option("team") or words.next_or_none()
    words.done()
    with request.session() as session:
        found = roster_of(session, actor=request.actor, team_slug=slug)
    return member_list(found, request.reader, request.style)


def add_to_roster(request: AdminRequest) -> Answer:
    """`member add @user team=<slug> roles=<roles> [name="…"]`."""
    words = request.words
    user_id, label = parse_member(words.next(Missing.MEMBER))
    roles_text = words.option("roles")
    if roles_text is None:
        raise InvalidInput(CommandProblem.MISSING, field="roles", missing=Missing.ROLES)
    roles = parse_roles(roles_text)
    given_name = words.option("name")
    name = parse_name(given_name if given_name is not None else label, field="name")
    with request.session() as session:
        team = request.team(session, Action.ROSTER_WRITE)
        words.done()
        member = add_member(
            session,
            actor=request.actor,
            slack_user_id=user_id,
            name=name,
            team_slug=team.slug,
            roles=roles,
        )
    return member_added(member, request.reader, request.style)


def change_roles(request: AdminRequest) -> Answer:
    """`member roles @user +agent -manager` (changes) or `member roles @user agent,manager`."""
    words = request.words
    user_id, _ = parse_member(words.next(Missing.MEMBER))
    given = words.rest() + [r for r in [words.option("roles")] if r is not None]
    if not given:
        raise InvalidInput(CommandProblem.MISSING, field="roles", missing=Missing.ROLES)
    edit = parse_role_edit(given)
    words.done()
    with request.session() as session:
        change = set_roles(
            session,
            actor=request.actor,
            slack_user_id=user_id,
            roles=edit.replace,
            add=edit.add,
            remove=edit.remove,
            org_admins=request.org_admins,
        )
    return roles_changed(change, request.reader, request.style)


def _set_active(request: AdminRequest, *, active: bool) -> Answer:
    words = request.words
    user_id, _ = parse_member(words.next(Missing.MEMBER))
    words.done()
    with request.session() as session:
        change = set_active(
            session,
            actor=request.actor,
            slack_user_id=user_id,
            active=active,
            org_admins=request.org_admins,
        )
    return active_changed(change, request.reader, request.style)


def deactivate(request: AdminRequest) -> Answer:
    """`member deactivate @user`."""
    return _set_active(request, active=False)


def activate(request: AdminRequest) -> Answer:
    """`member activate @user`."""
    return _set_active(request, active=True)


def own_settings_of(request: AdminRequest) -> Answer:
    """`me language=de|auto`: one's own language; `me` alone shows it."""
    words = request.words
    given = words.option("language")
    words.done()
    actor = request.actor
    language = parse_language(given, auto=True) if given is not None else actor.language
    with request.session() as session:
        member = set_own_language(session, actor=actor, language=language)
    team = actor.team
    spoken = person_language(member.language, actor.slack_locale, team.language if team else None)
    reader = Reader(spoken, request.reader.zone, request.reader.currency)
    return own_settings(member, reader, request.style)
