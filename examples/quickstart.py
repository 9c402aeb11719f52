"""Worked example: when is the first response to a pastoral support request due?

Rule PSN-RESPONSE (Devon LMC MoU, "Expectations of the LMC" 4): aim to respond within two
working days of receipt. Working days follow the client's UK nation's bank holidays.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from pastoral_core import WorkingCalendar

london = ZoneInfo("Europe/London")
england = WorkingCalendar(nation="ENG")

received = dt.datetime(2026, 12, 24, 16, 0, tzinfo=london)  # Thursday, Christmas Eve
due = england.explain_due(received, working_days=2)

print(f"Request received: {received:%A %d %B %Y, %H:%M} (England)")
print(f"Counting from:    {due.counts_from:%A %d %B %Y}")
print(f"First response due by {due.due_at:%A %d %B %Y, %H:%M %Z}")
print("Bank holidays that moved it:")
for day, name in due.bank_holidays:
    print(f"  - {day:%A %d %B %Y}: {name}")

late = dt.datetime(2026, 12, 24, 17, 0, tzinfo=london)  # at the 17:00 cut-off
print(f"\nHad it arrived at 17:00 instead: {england.due_by(late, 2):%A %d %B %Y, %H:%M %Z}")

new_year_eve = dt.datetime(2026, 12, 31, 10, 0, tzinfo=london)
print(f"\nA request on {new_year_eve:%A %d %B %Y, %H:%M}:")
for nation in ("ENG", "SCT"):
    answer = WorkingCalendar(nation=nation).explain_due(new_year_eve, 2)
    print(f"  {nation}: {answer}")
