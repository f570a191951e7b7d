"""What the seminar features show: lists, the queue, returns, do-not-call, personal data.

Every text is built from the domain's facts with a `Reader`, in whole sentences.
Functions returning `list[str]` give mrkdwn lines (Slack) that `plain` turns
into terminal text; the yearly comparison also comes as a table, a CSV and a
PNG chart, from the same facts.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from bot.blocks import Block, context, message, section, text_sections
from bot.grammar.outcomes import outcome_word
from bot.i18n import N_, Reader
from bot.text import escape
from models.attendees import Attendance, AttendeeImport, EventRef
from models.attribution import Attribution, How
from models.dnc import DncEntry, DncImport, DncKind
from models.event_returns import EventReturn, EventYear
from models.followup import QueueItem, QueueOverview, Settled, Settlement
from models.leads import Source
from models.outcomes import Outcome
from models.privacy import ErasureDone, PersonalData, SearchBy
from models.seminar_settings import SeminarSettings
from models.timelogs import LoggedTime, MonthSplit, SplitBasis

NONE = "—"
#: How each kind of event and source is named in a sentence.
KINDS: dict[str, str] = {
    "seminar": N_("seminar"),
    "trade-show": N_("trade show"),
    Source.TELEMARKETING.value: N_("telemarketing"),
    Source.OTHER.value: N_("other"),
}
DNC_KINDS: dict[DncKind, str] = {
    DncKind.COMPANY: N_("company"),
    DncKind.PERSON: N_("person"),
    DncKind.EMAIL: N_("email"),
    DncKind.PHONE: N_("number"),
}


def plain(lines: list[str]) -> str:
    """mrkdwn lines as terminal text (no bold marks, entities back to characters)."""
    text = "\n".join(lines).replace("*", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def kind_word(reader: Reader, kind: str) -> str:
    return reader._(KINDS.get(kind, kind))


def event_name(reader: Reader, event: EventRef) -> str:
    """`Paris Summit (seminar, 14 Oct 2026)`."""
    return reader._(
        "{name} ({kind}, {day})",
        name=escape(event.name),
        kind=kind_word(reader, event.kind),
        day=reader.full_date(event.held_on),
    )


def _money(reader: Reader, amount: Decimal | None, currency: str) -> str:
    return NONE if amount is None else reader.money(amount, currency)


# --- attendee lists ------------------------------------------------------------------------


def attendance_lines(attendance: Attendance, reader: Reader) -> list[str]:
    """`/leadcell event show`: registered, attended, companies."""
    name = event_name(reader, attendance.event)
    if not attendance.listed:
        return [reader._("*{event}* has no attendee list yet.", event=name)]
    return [
        reader._("*{event}*", event=name),
        reader._(
            "{registered}, {attended}; {companies}, {came}.",
            registered=reader.n_(
                "{count} person registered", "{count} people registered", attendance.registered
            ),
            attended=reader.n_("{count} attended", "{count} attended", attendance.attended),
            companies=reader.n_("{count} company", "{count} companies", attendance.companies),
            came=reader.n_(
                "{count} of them came", "{count} of them came", attendance.companies_attended
            ),
        ),
    ]


def import_lines(result: AttendeeImport, reader: Reader) -> list[str]:
    """The answer to an attendee import."""
    lines = [
        reader.n_(
            "Imported {count} row into the list of {event}.",
            "Imported {count} rows into the list of {event}.",
            result.rows,
            event=event_name(reader, result.event),
        ),
        reader._(
            "People: {added} and {merged}. Companies: {companies_added} and {companies_merged}.",
            added=reader.n_("{count} new", "{count} new", result.people_added),
            merged=reader.n_(
                "{count} already listed, merged",
                "{count} already listed, merged",
                result.people_merged,
            ),
            companies_added=reader.n_("{count} new", "{count} new", result.companies_added),
            companies_merged=reader.n_(
                "{count} already listed, merged",
                "{count} already listed, merged",
                result.companies_merged,
            ),
        ),
        *attendance_lines(result.attendance, reader)[1:],
        reader.n_(
            "{count} company of this event is waiting in the follow-up queue.",
            "{count} companies of this event are waiting in the follow-up queue.",
            result.queued,
        ),
    ]
    if result.do_not_call:
        lines.append(
            reader.n_(
                "{count} company is on the do-not-call list: it counts as an attendee but "
                "will not be given to call.",
                "{count} companies are on the do-not-call list: they count as attendees but "
                "will not be given to call.",
                result.do_not_call,
            )
        )
    return lines


# --- the follow-up queue -------------------------------------------------------------------


def _outcome(reader: Reader, value: str) -> str:
    try:
        return outcome_word(Outcome(value), reader.language)
    except ValueError:
        return value


def queue_item_lines(item: QueueItem, reader: Reader) -> list[str]:
    """`/call next`: the company, its contacts, the event, earlier calls and leads."""
    came = (
        reader._(
            "Someone from *{company}* attended {event}.",
            company=escape(item.company),
            event=event_name(reader, item.event),
        )
        if item.attended
        else reader._(
            "*{company}* registered for {event} but did not come.",
            company=escape(item.company),
            event=event_name(reader, item.event),
        )
    )
    lines = [
        came,
        reader._(
            "It is yours until {time}: log your call with it and the queue moves on.",
            time=reader.clock(item.leased_until),
        ),
    ]
    for contact in item.contacts:
        parts = [escape(contact.person)]
        parts += [escape(part) for part in (contact.title, contact.phone, contact.email) if part]
        status = reader._("attended") if contact.attended else reader._("registered")
        lines.append(
            "• " + reader._("{contact} ({status})", contact=", ".join(parts), status=status)
        )
    if not item.contacts:
        lines.append(reader._("No contact is listed: ask the switchboard."))
    for call in item.calls:
        lines.append(
            reader._(
                "Called {day} by {agent}: {outcome}.",
                day=reader.day_and_clock(call.called_at),
                agent=escape(call.agent.name),
                outcome=_outcome(reader, call.outcome),
            )
        )
    for lead in item.leads:
        lines.append(
            reader._(
                "L-{number} handed {day}: {summary}",
                number=str(lead.number).zfill(4),
                day=reader.day_month(lead.created_at.astimezone(reader.zone).date()),
                summary=escape(lead.summary) or reader._("erased"),
            )
        )
    if not item.calls and not item.leads:
        lines.append(reader._("No earlier call or lead with this company."))
    return lines


def queue_item_message(item: QueueItem, reader: Reader) -> dict[str, Any]:
    """The ephemeral answer to `/call next`."""
    lines = queue_item_lines(item, reader)
    blocks: list[Block] = [section(":telephone_receiver: " + lines[0]), context(lines[1])]
    blocks += text_sections(lines[2:])
    return {"response_type": "ephemeral", **message(plain(lines[:1]), blocks)}


def queue_empty(reader: Reader) -> str:
    return reader._("Nobody is waiting to be called back after an event. Well done.")


def settled_line(settled: Settled, reader: Reader) -> str:
    """What a logged call did to the company's place in the queue."""
    if settled.settlement == Settlement.CLOSED:
        return reader._(
            "{company} is done in the follow-up queue.", company=escape(settled.company)
        )
    assert settled.not_before is not None
    return reader._(
        "{company} goes back in the follow-up queue until {time}.",
        company=escape(settled.company),
        time=reader.day_and_clock(settled.not_before),
    )


def queue_overview_lines(overview: QueueOverview, reader: Reader) -> list[str]:
    """`/call list queue`: the agent's share and what is left, event by event."""
    lines = []
    if overview.holding is not None and overview.holding_until is not None:
        lines.append(
            reader._(
                "You are calling *{company}* (yours until {time}).",
                company=escape(overview.holding),
                time=reader.clock(overview.holding_until),
            )
        )
    lines.append(
        reader._(
            "You have called {total} from the queue, {today} of them today.",
            total=reader.n_("{count} company", "{count} companies", overview.done_by_me),
            today=reader.number(overview.done_by_me_today),
        )
    )
    if not overview.left:
        lines.append(reader._("Nothing is left in the queue."))
    for event in overview.events:
        if event.attended_left or event.registered_left or event.waiting or event.held:
            lines.append(
                reader._(
                    "{event}: {attended} and {registered} left, {waiting} waiting for a "
                    "callback, {held} being called, {done} done.",
                    event=event_name(reader, event.event),
                    attended=reader.n_("{count} attended", "{count} attended", event.attended_left),
                    registered=reader.n_(
                        "{count} registered only", "{count} registered only", event.registered_left
                    ),
                    waiting=reader.number(event.waiting),
                    held=reader.number(event.held),
                    done=reader.number(event.done),
                )
            )
        if event.do_not_call:
            lines.append(
                reader.n_(
                    "{count} company of {event} is on the do-not-call list and is not given.",
                    "{count} companies of {event} are on the do-not-call list and are not given.",
                    event.do_not_call,
                    event=event_name(reader, event.event),
                )
            )
    return lines


# --- what events returned ------------------------------------------------------------------


def event_return_lines(figures: EventReturn, reader: Reader) -> list[str]:
    """One event's return, for `/leadcell event show` and the monthly report."""
    lines = [reader._("*{event}*", event=event_name(reader, figures.event))]
    if figures.listed:
        lines.append(
            reader._(
                "{registered}, {attended}, from {companies}.",
                registered=reader.n_(
                    "{count} registered", "{count} registered", figures.registered
                ),
                attended=reader.n_("{count} attended", "{count} attended", figures.attendees or 0),
                companies=reader.n_("{count} company", "{count} companies", figures.companies),
            )
        )
    elif figures.attendees is not None:
        lines.append(
            reader.n_(
                "{count} attendee (no list imported).",
                "{count} attendees (no list imported).",
                figures.attendees,
            )
        )
    else:
        lines.append(reader._("No attendee list and no attendance recorded."))
    lines.append(
        reader.n_(
            "In the {count} day after it: {called} called, {reached} reached; {leads}, "
            "{qualified}.",
            "In the {count} days after it: {called} called, {reached} reached; {leads}, "
            "{qualified}.",
            figures.window_days,
            called=reader.n_("{count} company", "{count} companies", figures.companies_called),
            reached=reader.number(figures.companies_reached),
            leads=reader.n_("{count} lead", "{count} leads", figures.leads),
            qualified=reader.n_("{count} qualified", "{count} qualified", figures.qualified),
        )
    )
    if figures.money_shown:
        currency = figures.currency
        lines.append(
            reader._(
                "Cost {cost}; won {won}. Per attendee {per_attendee}, per lead {per_lead}, "
                "per qualified lead {per_qualified}.",
                cost=_money(reader, figures.cost, currency),
                won=_money(reader, figures.won_value, currency),
                per_attendee=_money(reader, figures.cost_per_attendee, currency),
                per_lead=_money(reader, figures.cost_per_lead, currency),
                per_qualified=_money(reader, figures.cost_per_qualified, currency),
            )
        )
    return lines


YEAR_COLUMNS = (
    N_("event"),
    N_("date"),
    N_("kind"),
    N_("cost"),
    N_("attendees"),
    N_("companies"),
    N_("called"),
    N_("reached"),
    N_("leads"),
    N_("qualified"),
    N_("won"),
    N_("cost/attendee"),
    N_("cost/lead"),
    N_("cost/qualified"),
)


def _year_row(e: EventReturn, reader: Reader) -> list[str]:
    money = [e.cost, e.won_value, e.cost_per_attendee, e.cost_per_lead, e.cost_per_qualified]
    shown = [_money(reader, value, e.currency) for value in money]
    return [
        e.event.name,
        reader.day_month(e.event.held_on),
        kind_word(reader, e.event.kind),
        shown[0],
        NONE if e.attendees is None else reader.number(e.attendees),
        reader.number(e.companies),
        reader.number(e.companies_called),
        reader.number(e.companies_reached),
        reader.number(e.leads),
        reader.number(e.qualified),
        *shown[1:],
    ]


def year_table(year: EventYear, reader: Reader) -> str:
    """Every event of the year compared, as a text table (money columns only when shown)."""
    headers = [reader._(column) for column in YEAR_COLUMNS]
    rows = [_year_row(e, reader) for e in year.events]
    if not year.money_shown:
        keep = [i for i, c in enumerate(YEAR_COLUMNS) if not c.startswith(("cost", "won"))]
        headers = [headers[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    title = reader._(
        "Events of {team}, {first} to {last}",
        team=year.team_name,
        first=reader.full_date(year.first_day),
        last=reader.full_date(year.last_day),
    )
    if not rows:
        return title + "\n" + reader._("No event in these dates.")
    return title + "\n" + tabulate(rows, headers=headers, disable_numparse=True, stralign="right")


def year_csv(year: EventYear) -> bytes:
    """The same figures as CSV: plain numbers, ISO dates, empty where there is no value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "event",
            "held_on",
            "kind",
            "currency",
            "cost",
            "registered",
            "attendees",
            "companies",
            "companies_called",
            "companies_reached",
            "leads",
            "qualified",
            "won_value",
            "cost_per_attendee",
            "cost_per_lead",
            "cost_per_qualified",
        ]
    )

    def number(value: Decimal | int | None) -> str:
        return "" if value is None else f"{value:f}" if isinstance(value, Decimal) else str(value)

    for e in year.events:
        writer.writerow(
            [
                e.event.name,
                e.event.held_on.isoformat(),
                e.event.kind,
                e.currency,
                number(e.cost),
                e.registered,
                number(e.attendees),
                e.companies,
                e.companies_called,
                e.companies_reached,
                e.leads,
                e.qualified,
                number(e.won_value),
                number(e.cost_per_attendee),
                number(e.cost_per_lead),
                number(e.cost_per_qualified),
            ]
        )
    return out.getvalue().encode("utf-8")


def year_png(year: EventYear, reader: Reader) -> bytes:
    """A bar chart of leads per event, and of cost per lead when money is shown."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [f"{e.event.name}\n{reader.day_month(e.event.held_on)}" for e in year.events]
    panels = 2 if year.money_shown else 1
    figure = Figure(figsize=(max(6, 0.9 * len(names) + 2), 3.6 * panels), dpi=100)
    FigureCanvasAgg(figure)
    positions = list(range(len(names)))
    leads = figure.add_subplot(panels, 1, 1)
    leads.bar(positions, [e.leads for e in year.events], color="#ff7f0e")
    leads.set_ylabel(reader._("leads"))
    leads.set_title(
        reader._(
            "What each event returned · {team} · {first} – {last}",
            team=year.team_name,
            first=reader.day_month(year.first_day),
            last=reader.day_month(year.last_day),
        )
    )
    leads.set_xticks(positions, names if panels == 1 else [""] * len(names))
    if year.money_shown:
        cost = figure.add_subplot(2, 1, 2, sharex=leads)
        values = [float(e.cost_per_lead) if e.cost_per_lead else 0.0 for e in year.events]
        cost.bar(positions, values, color="#1f77b4")
        cost.set_ylabel(reader._("cost per lead ({currency})", currency=year.currency))
        cost.set_xticks(positions, names)
        for axes in (leads, cost):
            axes.grid(axis="y", alpha=0.3)
    if not names:
        leads.text(
            0.5, 0.5, reader._("No event in these dates."), transform=leads.transAxes, ha="center"
        )
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


# --- attribution, seminar time, settings ---------------------------------------------------


def source_line(attribution: Attribution, reader: Reader) -> str:
    """The lead card's source: `Source: seminar Paris Summit (attended 14 Oct)`."""
    if attribution.event is None:
        return reader._("*Source:* {source}", source=kind_word(reader, attribution.source))
    fields = {
        "kind": kind_word(reader, attribution.event.kind),
        "name": escape(attribution.event.name),
        "day": reader.day_month(attribution.event.held_on),
    }
    if attribution.how == How.ATTENDED:
        return reader._("*Source:* {kind} {name} (attended {day})", **fields)
    return reader._("*Source:* {kind} {name} ({day})", **fields)


def attributed_line(count: int, window_days: int, reader: Reader) -> str:
    """The monthly report's note on the attribution rule."""
    return reader.n_(
        "{count} lead counted for an event because its company attended it in the "
        "{days} days before.",
        "{count} leads counted for an event because their company attended it in the "
        "{days} days before.",
        count,
        days=reader.number(window_days),
    )


def time_logged_line(logged: LoggedTime, reader: Reader) -> str:
    return reader._(
        "Logged {duration} on {event} for {day}; you have spent {total} on it so far.",
        duration=reader.duration(logged.seconds),
        event=event_name(reader, logged.event),
        day=reader.full_date(logged.day),
        total=reader.duration(logged.event_total_seconds),
    )


def split_line(split: MonthSplit, reader: Reader) -> str:
    """Which split of the cell's cost a month uses, and why."""
    shares = reader.items(
        [
            reader._(
                "{source} {percent}",
                source=kind_word(reader, s.value),
                percent=reader.percent(p / 100, decimals=2),
            )
            for s, p in split.percents.items()
            if p
        ]
    )
    month = reader.month_name(split.month)
    if split.basis == SplitBasis.MANUAL:
        return reader._(
            "{month}: the cell's cost is split by hand: {shares}.", month=month, shares=shares
        )
    if split.basis == SplitBasis.DEFAULT:
        return reader._(
            "{month}: no split set and no event time logged, so the cell's cost is all "
            "telemarketing.",
            month=month,
        )
    hours = sum(split.event_seconds.values()) // 3600
    return reader._(
        "{month}: no split set, so the cell's cost is split by logged event time ({hours} of "
        "{working} working hours of {members}): {shares}.",
        month=month,
        hours=reader.number(hours),
        working=reader.number(split.working_seconds // 3600),
        members=reader.n_("{count} member", "{count} members", split.members),
        shares=shares,
    )


def settings_lines(settings: SeminarSettings, reader: Reader) -> list[str]:
    country = settings.country or reader._("none")
    if settings.country and not settings.country_chosen:
        country = reader._("{country} (from the time zone)", country=settings.country)
    return [
        reader._("*{team}*", team=escape(settings.team.name)),
        reader._("Country for phone numbers and holidays: {country}.", country=country),
        reader.n_(
            "A lead counts for an event its company attended up to {count} day before.",
            "A lead counts for an event its company attended up to {count} days before.",
            settings.attribution_days,
        ),
        reader.n_(
            "Personal data of calls and attendee lists is kept {count} month.",
            "Personal data of calls and attendee lists is kept {count} months.",
            settings.retention_months,
        ),
    ]


# --- do not call -----------------------------------------------------------------------------


def dnc_entry_line(entry: DncEntry, reader: Reader) -> str:
    what = reader._(DNC_KINDS[entry.kind])
    label = escape(entry.label)
    if entry.company:
        label = reader._("{person} at {company}", person=label, company=escape(entry.company))
    reason = escape(entry.reason) if entry.reason else reader._("no reason given")
    return reader._(
        "#{id} {kind} {label}: {reason} ({day})",
        id=entry.id,
        kind=what,
        label=label,
        reason=reason,
        day=reader.day_month(entry.added_at.astimezone(reader.zone).date()),
    )


def dnc_added_line(entry: DncEntry, reader: Reader) -> str:
    if entry.repeated:
        return reader._(
            "This is on the do-not-call list already: {entry}", entry=dnc_entry_line(entry, reader)
        )
    return reader._("Added to the do-not-call list: {entry}", entry=dnc_entry_line(entry, reader))


def dnc_warning(found: list[DncEntry], reader: Reader) -> str:
    """What `/call` says before logging a call that goes against the list."""
    return reader.n_(
        "Careful: this call goes against the do-not-call list ({entries}).",
        "Careful: this call goes against {count} do-not-call entries ({entries}).",
        len(found),
        entries="; ".join(dnc_entry_line(entry, reader) for entry in found),
    )


def dnc_import_line(result: DncImport, reader: Reader) -> str:
    return reader._(
        "{origin}: {numbers} read, {added} added to the do-not-call list, {already} there already.",
        origin=escape(result.origin),
        numbers=reader.n_("{count} number", "{count} numbers", result.numbers),
        added=reader.number(result.added),
        already=reader.number(result.already),
    )


# --- personal data ---------------------------------------------------------------------------

SEARCHES = {
    SearchBy.PERSON: N_("the name {value}"),
    SearchBy.PHONE: N_("the number {value}"),
    SearchBy.EMAIL: N_("the email {value}"),
}


def personal_data_lines(data: PersonalData, reader: Reader) -> list[str]:
    """`leadcell privacy export`: every stored item, grouped."""
    who = reader._(SEARCHES[data.query.by], value=data.query.value)
    if data.empty:
        return [reader._("Nothing is stored about {who}.", who=who)]
    erased = reader._("erased")
    lines = [
        reader._(
            "Stored about {who}: {calls}, {leads}, {rows}, {dnc}.",
            who=who,
            calls=reader.n_("{count} call", "{count} calls", len(data.calls)),
            leads=reader.n_("{count} lead", "{count} leads", len(data.leads)),
            rows=reader.n_("{count} attendee row", "{count} attendee rows", len(data.attendees)),
            dnc=reader.n_(
                "{count} do-not-call entry", "{count} do-not-call entries", len(data.do_not_call)
            ),
        )
    ]
    for call in data.calls:
        lines.append(
            reader._(
                "Call #{id} ({team}) {day} by {agent} with {company}: contact {contact}, phone "
                "{phone}, note {note}",
                id=call.id,
                team=call.team,
                day=reader.day_and_clock(call.called_at),
                agent=call.agent.name,
                company=call.company,
                contact=call.contact_name or NONE,
                phone=call.phone or NONE,
                note=call.note or NONE,
            )
        )
    for lead in data.leads:
        lines.append(
            reader._(
                "Lead L-{number} ({team}) {day} for {company}: contact {contact}, summary "
                "{summary}, reason {reason}",
                number=str(lead.number).zfill(4),
                team=lead.team,
                day=reader.day_and_clock(lead.created_at),
                company=lead.company,
                contact=lead.contact_name or NONE,
                summary=lead.summary or erased,
                reason=lead.reason or NONE,
            )
        )
    for row in data.attendees:
        lines.append(
            reader._(
                "Attendee of {event} ({team}, {day}): {person}, {title}, {email}, {phone}, "
                "{status}",
                event=row.event,
                team=row.team,
                day=reader.full_date(row.held_on),
                person=row.person or erased,
                title=row.title or NONE,
                email=row.email or NONE,
                phone=row.phone or NONE,
                status=reader._("attended") if row.attended else reader._("registered"),
            )
        )
    for entry in data.do_not_call:
        lines.append(
            reader._(
                "Do-not-call entry #{id} ({team}): {label}, {reason}",
                id=entry.id,
                team=entry.team,
                label=entry.label,
                reason=entry.reason or reader._("no reason given"),
            )
        )
    for member in data.members:
        lines.append(
            reader._(
                "Roster entry {user} ({team}): {name}. The roster is kept with leadcell member.",
                user=member.user_id,
                team=member.team,
                name=member.name,
            )
        )
    return lines


def erasure_preview(data: PersonalData, reader: Reader) -> str:
    """What an erasure is about to do, before it is confirmed."""
    return reader._(
        "This erases {who} from {calls}, {leads} and {rows}: names, phones, emails and the "
        "notes that name them. The items stay, counted as before. This cannot be undone.",
        who=reader._(SEARCHES[data.query.by], value=data.query.value),
        calls=reader.n_("{count} call", "{count} calls", len(data.calls)),
        leads=reader.n_("{count} lead", "{count} leads", len(data.leads)),
        rows=reader.n_("{count} attendee row", "{count} attendee rows", len(data.attendees)),
    )


def erasure_lines(done: ErasureDone, reader: Reader) -> list[str]:
    lines = [
        reader._(
            "Erased {calls}, {leads} and {rows} (erasure #{id}, {day}).",
            calls=reader.n_("{count} call", "{count} calls", done.calls),
            leads=reader.n_("{count} lead", "{count} leads", done.leads),
            rows=reader.n_("{count} attendee row", "{count} attendee rows", done.attendees),
            id=done.erasure_id,
            day=reader.day_and_clock(done.erased_at),
        )
    ]
    if done.kept_do_not_call:
        lines.append(
            reader.n_(
                "{count} do-not-call entry is kept, so the person is not called again.",
                "{count} do-not-call entries are kept, so the person is not called again.",
                done.kept_do_not_call,
            )
        )
    if done.kept_members:
        lines.append(
            reader._("Roster entries with this name are kept: they are members of the cell.")
        )
    return lines
