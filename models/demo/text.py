"""Words for demo activity: French companies and people, call notes, lead summaries, reasons.

The customer sells document capture and invoice automation software to large
accounts, so the notes and summaries speak of that. Everything is drawn from a
`random.Random` so a seed always gives the same text.
"""

from __future__ import annotations

from random import Random

FIRST_NAMES = (
    "Anne",
    "Bruno",
    "Catherine",
    "Christophe",
    "Delphine",
    "Didier",
    "Emilie",
    "Eric",
    "Florence",
    "Francois",
    "Frederic",
    "Helene",
    "Herve",
    "Jean",
    "Karine",
    "Luc",
    "Marie",
    "Martine",
    "Michel",
    "Patrick",
    "Pascale",
    "Sylvie",
    "Vincent",
    "Veronique",
    "Yves",
    "Agnes",
    "Benoit",
    "Chantal",
    "Dominique",
    "Gilles",
    "Laure",
    "Mathieu",
    "Muriel",
    "Paul",
)
LAST_NAMES = (
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clement",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gerard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noel",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Perez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Brun",
    "Barbier",
    "Arnaud",
    "Giraud",
)
ROLES = (
    "CFO",
    "finance director",
    "head of accounts payable",
    "CIO",
    "IT project manager",
    "purchasing director",
    "shared services manager",
    "chief accountant",
    "ECM manager",
)
_COMPANY_FORMS = (
    "Groupe {n}",
    "{n} Industries",
    "Transports {n}",
    "Laboratoires {n}",
    "{n} SA",
    "{n} & Fils",
    "Etablissements {n}",
    "{n} Distribution",
    "Mutuelle {c}",
    "Banque {n}",
    "{n} Assurances",
    "Clinique {c}",
    "{n} Logistique",
    "Compagnie {n}",
    "{n} Energie",
    "Caisse {c}",
    "{n} Agro",
    "Habitat {c}",
    "{n} Services",
    "{n} Automobiles",
)
CITIES = (
    "Paris",
    "Lyon",
    "Marseille",
    "Lille",
    "Nantes",
    "Bordeaux",
    "Toulouse",
    "Strasbourg",
    "Rennes",
    "Nice",
    "Grenoble",
    "Montpellier",
    "Rouen",
    "Dijon",
    "Tours",
    "Reims",
)
SEMINAR_THEMES = (
    "Invoice automation breakfast",
    "AP digital transformation seminar",
    "Document capture user day",
    "Mailroom digitisation workshop",
    "Finance shared services forum",
    "Purchase-to-pay roundtable",
)
TRADE_SHOWS = ("Documation", "Solutions Finance & Gestion", "Salon Achats & Supply Chain")
COMPETITORS = (
    "a competitor's capture suite",
    "an ERP add-on",
    "an in-house tool",
    "outsourced scanning",
)
_SUMMARIES = (
    "Supplier invoice capture for {k} sites, decision in {q}",
    "Replacing their AP automation tool, RFP expected in {q}",
    "Mailroom digitisation, about {k}0 000 documents a month",
    "Purchase-to-pay workflow, budget approved for {y}",
    "Customer order capture (EDI and paper), pilot in one plant in {q}",
    "Invoice archiving and e-invoicing compliance project for {y}",
    "Their capture platform contract ends in {q}, evaluating alternatives",
    "Expense claims and invoice approval workflow for {k} subsidiaries",
)
CONTACT_NOTES = (
    "Spoke to the {r}; no project before {y}",
    "Sent documentation to the {r}; follow up in {q}",
    "Uses {c}, contract renews in {y}",
    "The {r} is interested in a webinar, invited to the next seminar",
    "Qualified the org chart: the {r} decides, IT advises",
)
CALLBACK_NOTES = (
    "Call back next week, the {r} is travelling",
    "Assistant asked to call back on Thursday morning",
    "The {r} is in closing, call back after the 10th",
    "Call back in {q}, budget being prepared",
)
NOT_INTERESTED_NOTES = (
    "Not interested: happy with {c}",
    "Not interested: no budget",
    "Not interested: too small a volume of invoices",
    "Not interested: group decides centrally abroad",
)
WRONG_CONTACT_NOTES = (
    "The {r} left the company",
    "Wrong department, redirected to the {r}",
    "Switchboard refused to put me through",
)
REJECT_REASONS = (
    "No budget this year",
    "Too small for our offer",
    "Already equipped, contract runs three more years",
    "No real project, information gathering only",
    "Outside our target market",
    "Duplicate of an opportunity we already follow",
)
LOST_REASONS = (
    "Chose a competitor",
    "Project postponed indefinitely",
    "Budget cut",
    "Went with an in-house development",
    "Price too high",
    "Bought as part of their ERP suite",
)


def person(rng: Random) -> str:
    """A French first and last name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def contact(rng: Random) -> str:
    """A contact as agents note them: name and role."""
    return f"{person(rng)}, {rng.choice(ROLES)}"


def company_pool(rng: Random, size: int) -> list[tuple[str, str]]:
    """`size` companies with their switchboard number (some names repeat, as in a territory)."""
    companies = []
    for _ in range(size):
        form = rng.choice(_COMPANY_FORMS)
        name = form.format(n=rng.choice(LAST_NAMES), c=rng.choice(CITIES))
        companies.append((name, phone(rng)))
    return companies


def phone(rng: Random) -> str:
    """A French landline number."""
    n = int(rng.random() * 5 * 10**8)
    return f"+33 {1 + n // 10**8} {n // 10**6 % 100:02d} {n // 10**4 % 100:02d} " + (
        f"{n // 100 % 100:02d} {n % 100:02d}"
    )


def _fill(rng: Random, template: str, year: int) -> str:
    return template.format(
        k=rng.randint(2, 9),
        q=f"Q{rng.randint(1, 4)} {year + rng.randint(0, 1)}",
        y=year + rng.randint(0, 1),
        r=rng.choice(ROLES),
        c=rng.choice(COMPETITORS),
    )


def summary(rng: Random, year: int) -> str:
    """What the detected project is about."""
    return _fill(rng, rng.choice(_SUMMARIES), year)


_NOTES = {
    "contact": CONTACT_NOTES,
    "callback": CALLBACK_NOTES,
    "not-interested": NOT_INTERESTED_NOTES,
    "wrong-contact": WRONG_CONTACT_NOTES,
}


def call_note(rng: Random, outcome: str, year: int) -> str | None:
    """A short note for a call with this outcome (None for most unanswered dials)."""
    templates = _NOTES.get(outcome)
    if templates is None:
        return "Voicemail left" if outcome == "no-answer" and rng.random() < 0.3 else None
    return _fill(rng, rng.choice(templates), year)


class TextPool:
    """Pre-drawn notes, summaries and contacts, picked with one random draw each (fast)."""

    SIZE = 256

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.contacts = [contact(rng) for _ in range(self.SIZE * 8)]
        self._by_year: dict[tuple[str, int], list[str | None]] = {}

    def _pool(self, kind: str, year: int) -> list[str | None]:
        pool = self._by_year.get((kind, year))
        if pool is None:
            make = (
                (lambda: summary(self.rng, year))
                if kind == "summary"
                else (lambda: call_note(self.rng, kind, year))
            )
            pool = self._by_year[(kind, year)] = [make() for _ in range(self.SIZE)]
        return pool

    def pick(self, kind: str, year: int) -> str | None:
        """A note for a call outcome, or a lead summary (kind `summary`), of that year."""
        pool = self._pool(kind, year)
        return pool[int(self.rng.random() * len(pool))]

    def contact(self) -> str:
        return self.contacts[int(self.rng.random() * len(self.contacts))]
