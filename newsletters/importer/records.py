"""What the parser makes of an update: plain dataclasses, each piece with the line it came from
(so that warnings and errors can name it). No database."""

import datetime
from dataclasses import dataclass, field

from .reader import Block as Para

__all__ = ["ContactLine", "Item", "MeetingLine", "Para", "ResourceLine", "TriadEntry", "Update"]


@dataclass
class TriadEntry:
    line: int
    number: int
    quartet: bool
    members: list[Para]  # text naming authorities, resolved by the loader
    date: datetime.date | None = None
    candidate_dates: list[datetime.date] = field(default_factory=list)
    status: str = "confirmed"
    from_table: bool = False


@dataclass
class Item:
    line: int
    title: str
    section: str  # "headline" or "reminder"
    update: list[Para] = field(default_factory=list)
    action: list[Para] = field(default_factory=list)
    triads: list[TriadEntry] = field(default_factory=list)
    round_name: str = ""
    dcs_only: bool = False  # its title closed with "(DCSs only)"
    progress: str = ""  # its closing "Done so far: …" line (a reminder's)
    answered: bool = False  # its "Action Required:" has been read

    @property
    def paragraphs(self) -> list[Para]:
        return self.update + self.action

    def plain_text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class MeetingLine:
    line: int
    text: str
    network: str
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    topic: str = ""
    online: bool = False
    status: str = "confirmed"
    contact_name: str = ""


@dataclass
class ResourceLine:
    line: int
    title: str
    description: str = ""
    publisher: str = ""
    published_on: datetime.date | None = None
    url: str = ""
    dcs_only: bool = False  # the line closed with "(DCSs only)"


@dataclass
class ContactLine:
    line: int
    role: str
    name: str
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class Update:
    number: int
    date: datetime.date
    line: int
    intro: list[str] = field(default_factory=list)
    improvement_plan: str = ""
    items: list[Item] = field(default_factory=list)
    meetings: list[MeetingLine] = field(default_factory=list)
    resources: list[ResourceLine] = field(default_factory=list)
    contacts: list[ContactLine] = field(default_factory=list)
    shape: str = ""  # "labelled" (2022 on), "classic" (2018-2021) or "plain" (2023 on)
    networks_mentioned: list[MeetingLine] = field(default_factory=list)  # with no date
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
