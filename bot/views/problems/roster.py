"""Wordings of the roster problems: teams, members, roles and languages."""

from __future__ import annotations

from datetime import date

from bot.grammar.command_line import Topic, Verb
from bot.grammar.words import fold
from bot.i18n import N_, Reader
from bot.views.admin_help import example
from bot.views.leadcell import TYPED_FACT, Style, style_of
from bot.views.problems import Facts, Said, shown, wording
from models.actors import Person, Role
from models.roster import RosterProblem as R

MARC = Person(4, "U0DEMO04", "Marc Dubois")
MARIE = Person(0, "U0MARIE01", "Marie Curie")
#: The settings a new team needs, as a refusal names them.
TEAM_NEEDS = {
    "name": N_("a name"),
    "timezone": N_("a time zone (tz=)"),
    "currency": N_("a currency (currency=)"),
}
#: The words of each role, as refusals list them.
ROLE_WORDS = {
    Role.AGENT: "agent",
    Role.SALES_ENGINEER: "sales-engineer (se)",
    Role.MANAGER: "manager",
    Role.ADMIN: "admin",
    Role.PROVIDER: "provider",
}


def _team_add(style: Style) -> str:
    return example(Topic.TEAM, Verb.ADD, style)


def _team_set(style: Style, slug: str, words: str) -> str:
    return style.command(Topic.TEAM, f"set {slug} {words}")


def _member(style: Style, person: Person = MARIE) -> str:
    """A member as an example names them: their user id in the terminal; in Slack, the
    @-name people usually have (their first name), which Slack turns into a mention."""
    if style.terminal:
        return person.user_id
    return "@" + fold(person.name.split()[0]) if person.name.split() else "@" + person.user_id


def _roles_example(style: Style, words: str, person: Person = MARC) -> str:
    return style.command(Topic.MEMBER, f"roles {_member(style, person)} {words}")


def _codes(reader: Reader, values: list[str], *, style: str = "standard") -> str:
    return reader.items([f"`{v}`" for v in values], style=style)


@wording(R.TEAM_SLUG_INVALID, sample={"given": "United-Kingdom!"})
def _slug(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{given} is not a team's short name: use 1 to 32 lower-case letters, digits or "
            "dashes, such as uk.",
            given=shown(facts["given"]),
        ),
        _team_add(style_of(facts)),
    )


@wording(R.TEAM_FIELDS_MISSING, sample={"missing": ["timezone", "currency"], "slug": "uk"})
def _fields_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "A new team needs {missing}.",
            missing=reader.items([reader._(TEAM_NEEDS[key]) for key in facts["missing"]]),
        ),
        _team_add(style_of(facts)),
    )


@wording(R.TEAM_NAME_LENGTH, sample={"length": 120, "limit": 100})
def _team_name(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "A team's name has 1 to {limit} characters; this one has {length}.",
            limit=facts["limit"],
            length=facts["length"],
        ),
        _team_set(style_of(facts), "fr", 'name="France"'),
    )


@wording(R.TIMEZONE_UNKNOWN, sample={"given": "Europe/Londres", "suggestions": ["Europe/London"]})
def _zone(reader: Reader, facts: Facts) -> Said:
    suggestions = facts.get("suggestions") or []
    if suggestions:
        text = reader._(
            "{given} is not a time zone. Did you mean {suggestions}?",
            given=shown(facts["given"]),
            suggestions=_codes(reader, suggestions, style="or"),
        )
    else:
        text = reader._(
            "{given} is not a time zone: use the IANA name of a city, such as Europe/London.",
            given=shown(facts["given"]),
        )
    zone = suggestions[0] if suggestions else "Europe/Paris"
    return Said(text, _team_set(style_of(facts), "fr", f"tz={zone}"))


@wording(R.CURRENCY_INVALID, sample={"given": "EURO"})
def _currency(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{given} is not a currency: use its three-letter code, such as EUR or GBP.",
            given=shown(facts["given"]),
        ),
        _team_add(style_of(facts)),
    )


@wording(R.CHANNEL_INVALID, sample={"given": "leads-uk", "key": "leads"})
def _channel(reader: Reader, facts: Facts) -> Said:
    style, key = style_of(facts), facts.get("key") or "digest"
    if style.terminal:
        text = reader._(
            "{given} is not a channel id. In Slack, a channel's id is at the bottom of its "
            "details, like C0123ABCD.",
            given=shown(facts["given"]),
        )
        return Said(text, _team_set(style, "fr", f"{key}=C0{key.upper()}FR"))
    text = reader._(
        "{given} is not a channel: pick it with # as you type.", given=shown(facts["given"])
    )
    return Said(text, _team_set(style, "fr", f"{key}=#{key}-fr"))


@wording(R.ROUTING_UNKNOWN, sample={"given": "random", "allowed": ["pool", "round-robin"]})
def _routing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{given} is not a way to hand leads out: use {allowed}.",
            given=shown(facts["given"]),
            allowed=_codes(reader, facts["allowed"], style="or"),
        ),
        _team_set(style_of(facts), "fr", "routing=round-robin"),
    )


@wording(R.TARGET_OUT_OF_RANGE, sample={"given": 20000, "low": 0, "high": 10000})
def _target(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The daily target is a number of useful contacts from {low} to {high}.",
            low=reader.number(facts["low"]),
            high=reader.number(facts["high"]),
        ),
        _team_set(style_of(facts), "fr", "target=30"),
    )


@wording(R.LANGUAGE_UNKNOWN, sample={"given": "es", "allowed": ["fr", "en", "de"], "auto": True})
def _language(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    allowed = _codes(reader, facts["allowed"], style="or")
    if facts.get("auto") and not style.terminal:
        return Said(
            reader._(
                "{given} is not a language leadcell speaks: use {allowed}, or auto to follow "
                "your Slack language.",
                given=shown(facts["given"]),
                allowed=allowed,
            ),
            style.command(Topic.ME, "language=de"),
        )
    return Said(
        reader._(
            "{given} is not a language leadcell speaks: use {allowed}.",
            given=shown(facts["given"]),
            allowed=allowed,
        ),
        _team_set(style, "fr", "language=fr"),
    )


@wording(R.DAYS_EMPTY)
def _days(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Give at least one day for the digest."),
        _team_set(style_of(facts), "fr", "digest_days=mon-fri"),
    )


@wording(R.NOTHING_TO_CHANGE, sample={"slug": "fr"})
def _nothing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Say what to change, such as target=30 or language=en."),
        _team_set(style_of(facts), facts.get("slug") or "fr", "target=30"),
    )


@wording(R.TEAM_EXISTS, sample={"slug": "fr"})
def _exists(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    return Said(
        reader._(
            "Team {slug} exists already; change its settings with {command}.",
            slug=f"`{facts['slug']}`",
            command=f"`{style.command(Topic.TEAM, 'set')}`",
        ),
        _team_set(style, facts["slug"], "target=30"),
    )


@wording(R.TEAM_NOT_FOUND, sample={"slug": "xx", "known": ["fr", "uk"]})
def _not_found(reader: Reader, facts: Facts) -> Said:
    style, known = style_of(facts), facts.get("known") or []
    if not known:
        return Said(reader._("There is no team yet: create one first."), _team_add(style))
    teams = _codes(reader, known)
    if facts.get("slug"):
        text = reader._(
            "There is no team {slug}. Teams: {teams}.", slug=shown(facts["slug"]), teams=teams
        )
    else:
        text = reader._("That team no longer exists. Teams: {teams}.", teams=teams)
    return Said(text, style.command(Topic.TEAM, "list"))


@wording(R.TEAM_NOT_CHOSEN, sample={"known": ["fr", "uk"]})
def _not_chosen(reader: Reader, facts: Facts) -> Said:
    style, known = style_of(facts), facts.get("known") or []
    if not known:
        return Said(reader._("There is no team yet: create one first."), _team_add(style))
    terminal_option = facts.get(TYPED_FACT) or facts.get("topic") == Topic.REPORT
    option = "--team" if style.terminal and terminal_option else "team="
    return Said(
        reader._(
            "Say which team with {option}: the teams are {teams}.",
            option=f"`{option}`",
            teams=_codes(reader, known),
        ),
        _with_team(facts, known[0]),
    )


def _with_team(facts: Facts, slug: str) -> str:
    """The command at fault with its team added (a team's event list when it is not known)."""
    style, topic = style_of(facts), facts.get("topic")
    if style.terminal and facts.get(TYPED_FACT):
        return f"{facts[TYPED_FACT]} --team {slug}"
    if topic is None:
        return style.command(Topic.EVENT, f"list {slug}")
    verb = Verb(facts.get("verb") or Verb.LIST)
    if topic == Topic.REPORT:
        if verb == Verb.MONTH:
            return style.report(Verb.MONTH, month=date(2026, 10, 1), team=slug)
        day = date(2026, 11, 27) if verb == Verb.DAY else None
        return style.report(Verb.DAY if day else Verb.TODAY, day=day, team=slug)
    return f"{example(Topic(topic), verb, style)} team={slug}"


@wording(R.USER_INVALID, sample={"given": "marie"})
def _user(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    if style.terminal:
        text = reader._(
            "{given} is not a Slack user id: copy it from the person's Slack profile, like "
            "U012AB3CD.",
            given=shown(facts["given"]),
        )
    else:
        text = reader._(
            "{given} is not a Slack user: mention them with @ as you type.",
            given=shown(facts["given"]),
        )
    return Said(text, example(Topic.MEMBER, Verb.ADD, style))


@wording(R.MEMBER_NAME_LENGTH, sample={"length": 120, "limit": 100})
def _member_name(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "A member's name has 1 to {limit} characters; this one has {length}.",
            limit=facts["limit"],
            length=facts["length"],
        ),
        example(Topic.MEMBER, Verb.ADD, style_of(facts)),
    )


@wording(R.MEMBER_EXISTS, sample={"person": MARC, "team_slug": "fr", "active": True})
def _member_exists(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    who, team = style.person(facts["person"]), f"`{facts['team_slug']}`"
    if not facts.get("active", True):
        return Said(
            reader._(
                "{who} is on the roster of {team} already, deactivated: activate them again.",
                who=who,
                team=team,
            ),
            style.command(Topic.MEMBER, f"activate {_member(style, facts['person'])}"),
        )
    return Said(
        reader._(
            "{who} is on the roster of {team} already: add or remove roles instead.",
            who=who,
            team=team,
        ),
        _roles_example(style, "+manager", facts["person"]),
    )


@wording(R.MEMBER_NOT_FOUND, sample={"user_id": "U0NOBODY"})
def _member_not_found(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    return Said(
        reader._("{who} is not on the roster.", who=style.user(facts["user_id"])),
        example(Topic.MEMBER, Verb.ADD, style),
    )


@wording(
    R.ROLE_UNKNOWN,
    sample={"given": "boss", "allowed": [r.value for r in Role], "suggestion": None},
)
def _role(reader: Reader, facts: Facts) -> Said:
    roles = _codes(reader, list(ROLE_WORDS.values()))
    if facts.get("suggestion"):
        text = reader._(
            "{given} is not a role. Did you mean {suggestion}? Roles: {roles}.",
            given=shown(facts["given"]),
            suggestion=f"`{facts['suggestion']}`",
            roles=roles,
        )
    else:
        text = reader._(
            "{given} is not a role. Roles: {roles}.", given=shown(facts["given"]), roles=roles
        )
    return Said(text, _roles_example(style_of(facts), "+manager"))


@wording(R.ROLES_MISSING, sample={"person": MARC, "before": [Role.SALES_ENGINEER]})
def _roles_missing(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    if facts.get("person") is not None:
        return Said(
            reader._(
                "{who} would have no role left. Give them another role first, or deactivate them.",
                who=style.person(facts["person"]),
            ),
            _roles_example(style, "+sales-engineer", facts["person"]),
        )
    return Said(
        reader._("Give at least one role: agent, sales-engineer, manager or admin."),
        example(Topic.MEMBER, Verb.ADD, style),
    )


@wording(R.ROLES_MIXED, sample={"given": "agent -manager"})
def _roles_mixed(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "List the roles a member has from now on (agent,manager), or add and remove some "
            "(+agent -manager), but not both at once."
        ),
        _roles_example(style_of(facts), "+agent -manager"),
    )


@wording(R.LAST_ADMIN, sample={"person": MARC, "team_slug": "fr", "team_id": 1})
def _last_admin(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    return Said(
        reader._(
            "{who} is the last admin of {team}: without an admin, nobody could change its "
            "roster or settings. Make someone else an admin first.",
            who=style.person(facts["person"]),
            team=f"`{facts['team_slug']}`",
        ),
        _roles_example(style, "+admin"),
    )
