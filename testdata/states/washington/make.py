#!/usr/bin/env python3
"""Writes the Washington cases (policy pack `washington`, schema v2) in this folder, in the
scenario format of ../../scenarios/make.py: a history, an as-of date, the exit status and
expectations on paths of the `attendance eval` output ("a.b[3].c" one value, "due[*].step"
the list of values). Each case also carries "statute" (the sentence it checks, quoted) and
"why" (the hand count). Dates are computed from the calendar below, never typed: day(y, m, k)
is the k-th school day of that calendar month. Months are calendar months ("within any month").
Every expectation was counted by hand from the statute; the asserts only guard the dates and
ages the hand counts rely on."""
import datetime as dt, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
def d(s): return dt.date.fromisoformat(s)

# 2024-25: Labor Day, Columbus Day, Election Day, Thanksgiving, winter break, MLK, Presidents'
# Day, spring break. Saturdays and Sundays are never school days.
CLOSED = ["2024-09-02", "2024-10-14", "2024-11-05", "2024-11-27", "2024-11-28", "2024-11-29",
          "2025-01-20", "2025-02-17"]
CLOSED += [str(d("2024-12-23") + dt.timedelta(i)) for i in range(14)]
CLOSED += [str(d("2025-03-24") + dt.timedelta(i)) for i in range(5)]
CLOSED = sorted(x for x in set(CLOSED) if d(x).weekday() < 5)
CAL = {"first_day": "2024-08-26", "last_day": "2025-06-06", "closed": CLOSED, "minutes_per_day": 390}
SD, x = [], d(CAL["first_day"])
while x <= d(CAL["last_day"]):
    if x.weekday() < 5 and str(x) not in CLOSED:
        SD.append(str(x))
    x += dt.timedelta(1)

def day(y, m, k):
    """The k-th school day of calendar month m of year y."""
    days = [s for s in SD if d(s).year == y and d(s).month == m]
    return days[k - 1]

def last_day(y, m):
    return [s for s in SD if d(s).year == y and d(s).month == m][-1]

def age_on(birth, on):
    b, o = d(birth), d(on)
    return o.year - b.year - ((o.month, o.day) < (b.month, b.day))

def born(age, on):
    """A birth date giving `age` whole years on `on` (the birthday was 60 days before)."""
    o = d(on)
    b = str(o.replace(year=o.year - age) - dt.timedelta(60))
    assert age_on(b, on) == age, (b, on, age)
    return b

def hist(events, interventions=(), birth="2012-03-10", grade="7", flags=()):
    for e in events:
        assert e["date"] in SD, e
    for i in interventions:
        assert i["date"] in SD, i
    return {"student": {"id": "WA1", "birth_date": birth, "grade": grade, "flags": list(flags)},
            "calendar": CAL, "enrolled": CAL["first_day"], "events": list(events),
            "interventions": list(interventions)}

def ev(date, code, docs=None, **kw):
    e = {"date": date, "code": code}
    if docs:
        e["documents"] = docs
    e.update(kw)
    return e

def done(step, date, outcome=None):
    i = {"step": step, "date": date, "actor": "attendance-office"}
    if outcome:
        i["outcome"], i["outcome_date"] = outcome, date
    return i

CASES = []
def case(name, statute, why, history, as_of, expect, exit_code=0):
    assert as_of in SD, as_of
    CASES.append(name)
    sc = {"policy": "washington", "statute": statute, "why": why, "history": history,
          "as_of": as_of, "exit": exit_code, "expect": expect}
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(sc, f, indent=1)
        f.write("\n")

NOTICE = ("Inform the child's parent by a notice in writing or by telephone whenever the child has failed to attend "
          "school after one unexcused absence within any month during the current school year. (RCW 28A.225.020(1)(a))")
CONFERENCE = ("Schedule a conference or conferences with the parent and child at a time reasonably convenient for all "
              "persons included for the purpose of analyzing the causes of the child's absences after three unexcused "
              "absences within any month during the current school year. (RCW 28A.225.020(1)(b))")
DATA = ("At some point after the second and before the seventh unexcused absence, take data-informed steps to "
        "eliminate or reduce the child's absences. (RCW 28A.225.020(1)(c))")
PETITION = ("If a child under the age of seventeen is required to attend school under RCW 28A.225.010 and if the "
            "actions taken by a school district under RCW 28A.225.020 are not successful in substantially reducing an "
            "enrolled student's absences from public school, after the child's seventh unexcused absence within any "
            "month during the current school year and not later than the 15th unexcused absence during the current "
            "school year the school district shall file a petition and supporting affidavit for a civil action with "
            "the juvenile court alleging a violation of RCW 28A.225.010 ... (RCW 28A.225.030(1))")
EXCUSED = ("... in the event that a child in elementary school is required to attend school under RCW 28A.225.010 or "
           "28A.225.015(1) and has five or more excused absences in a single month during the current school year, or "
           "ten or more excused absences in the current school year, the school district shall schedule a conference "
           "or conferences with the parent and child ... (RCW 28A.225.018(1))")
SIXSEVEN = ("If a six or seven year old child is required to attend public school under subsection (1) of this section "
            "and that child has unexcused absences, the public school in which the child is enrolled shall: (a) Inform "
            "the child's custodial parent, parents, or guardian by a notice in writing or by telephone whenever the "
            "child has failed to attend school after one unexcused absence within any month during the current school "
            "year; (RCW 28A.225.015(2)(a))")
SUSPENSION = ("Absences due to the following reasons must be excused: ... (9) Absences due to suspensions, expulsions or "
              "emergency expulsions imposed pursuant to chapter 392-400 WAC if the student is not receiving educational "
              "services and is not enrolled in qualifying \"course of study\" activities as defined in WAC 392-121-107; "
              "(WAC 392-401-020)")
MAJORITY = ("Unexcused absence: failing to attend the majority of hours or periods in an average school day without an "
            "excuse the district accepts (RCW 28A.225.020 definition; wording NOT confirmed, see the pack)")
COMPULSORY = "compulsory-attendance"

case("wa-01-first-unexcused-notice", NOTICE,
     "One unexcused absence on the 6th school day of September: one unexcused absence this month, so the parent must "
     "be informed. Only 1 this year: no data-informed steps yet (after the second), no conference (three in a month).",
     hist([ev(day(2024, 9, 6), "UNX")]), day(2024, 9, 8),
     {"facts.unexcused": 1, "designations[*].id": [COMPULSORY], "due[*].step": ["unexcused-absence-notice"],
      "next.step": "unexcused-absence-notice", "events[0].excuse": "unexcused"})

case("wa-02-notice-latched-into-next-month", NOTICE,
     "Unexcused on the last school day of September (Monday 2024-09-30); asked on the 2nd school day of October. "
     "October has no unexcused absence, but the September notice was never given: it stays due (latched) until done.",
     hist([ev(last_day(2024, 9), "UNX")]), day(2024, 10, 2),
     {"facts.unexcused": 1, "due[*].step": ["unexcused-absence-notice"], "next.step": "unexcused-absence-notice"})

case("wa-03-second-in-month-no-conference", CONFERENCE,
     "Unexcused on the 6th and 12th school days of September; the parent was informed on the 7th, after the first. "
     "Two in the month is fewer than three: no conference (the pre-2021 text said two). The notice, given this month "
     "after the month's first unexcused absence, is not due again this month. Two this year: data-informed steps "
     "are due (after the second).",
     hist([ev(day(2024, 9, 6), "UNX"), ev(day(2024, 9, 12), "UNX")],
          [done("unexcused-absence-notice", day(2024, 9, 7))]), day(2024, 9, 13),
     {"facts.unexcused": 2, "due[*].step": ["data-informed-steps"], "next.step": "data-informed-steps"})

case("wa-04-third-in-month-conference", CONFERENCE,
     "Unexcused on the 1st, 3rd and 6th school days of October (2024-10-01, -03, -08); the notice was given on the 2nd "
     "school day, after the first. Three in one month: the conference is due; three this year: data-informed steps "
     "are due. The notice is not due again (done this month after the month's first unexcused absence).",
     hist([ev(day(2024, 10, 1), "UNX"), ev(day(2024, 10, 3), "UNX"), ev(day(2024, 10, 6), "UNX")],
          [done("unexcused-absence-notice", day(2024, 10, 2))]), day(2024, 10, 7),
     {"facts.unexcused": 3, "due[*].step": ["attendance-conference", "data-informed-steps"]})

case("wa-05-new-month-new-notice", NOTICE,
     "Unexcused on the 6th school day of September, notice given the next school day; then unexcused on the 6th "
     "school day of October. October's first unexcused absence needs its own notice (\"within any month\"); two this "
     "year, so data-informed steps are due as well.",
     hist([ev(day(2024, 9, 6), "UNX"), ev(day(2024, 10, 6), "UNX")],
          [done("unexcused-absence-notice", day(2024, 9, 7))]), day(2024, 10, 7),
     {"facts.unexcused": 2, "due[*].step": ["unexcused-absence-notice", "data-informed-steps"]})

# Seven unexcused absences in October 2024: school days 1, 2, 3, 5, 6, 7, 8 of the month
# (Oct 1, 2, 3, 7, 8, 9, 10); the seventh is Oct 10. Interventions: notice on Oct 1 (the day of
# the first), conference and data-informed steps on Oct 4, agreement (CEB referral) on Oct 9
# (after the fifth, Oct 8). Asked on Oct 11 (9th school day).
OCT7 = [ev(day(2024, 10, k), "UNX") for k in (1, 2, 3, 5, 6, 7, 8)]
OCT_IV = [done("unexcused-absence-notice", day(2024, 10, 1)),
          done("attendance-conference", day(2024, 10, 4), "held"),
          done("data-informed-steps", day(2024, 10, 4), "assessment-done"),
          done("attendance-agreement", day(2024, 10, 7), "community-engagement-board")]
A6 = day(2024, 10, 9)

case("wa-06-seventh-in-month-petition", PETITION,
     "Age 16. Seven unexcused absences in October (the seventh on Oct 10). The notice (given Oct 1, the first absence's "
     "day, so the six later ones are fewer than the month's seven), conference, data-informed steps and agreement are "
     "done; after the seventh unexcused absence within a month the petition is due (under seventeen).",
     hist(OCT7, OCT_IV, birth=born(16, A6), grade="10"), A6,
     {"facts.unexcused": 7, "designations[*].id": [COMPULSORY], "due[*].step": ["truancy-petition"],
      "next.step": "truancy-petition"})

case("wa-07-six-in-month-no-petition", PETITION,
     "The same October without the seventh absence: six in the month and six this year (fewer than 7 in a month and "
     "fewer than 15 in the year): no petition; every earlier step is done.",
     hist(OCT7[:6], OCT_IV, birth=born(16, A6), grade="10"), A6,
     {"facts.unexcused": 6, "due[*].step": [], "next": None})

case("wa-08-age-17-no-petition", PETITION,
     "The seven October absences and the same interventions, but the student is 17: the petition duty is for a child "
     "under the age of seventeen (a petition for a seventeen-year-old is allowed, not required), so nothing is due. "
     "Still of compulsory age (under 18).",
     hist(OCT7, OCT_IV, birth=born(17, A6), grade="11"), A6,
     {"facts.unexcused": 7, "designations[*].id": [COMPULSORY], "due[*].step": [], "next": None})

# Fifteen in the year, never more than two in a month: the 3rd and 10th school days of each
# month September-March (14), then the 3rd school day of April (15th). The parent is informed
# on the 4th school day of each month (after that month's first); data-informed steps on the
# 11th school day of September (after the second).
SPREAD, SPREAD_IV = [], [done("data-informed-steps", day(2024, 9, 11), "done")]
for (y, m) in [(2024, 9), (2024, 10), (2024, 11), (2024, 12), (2025, 1), (2025, 2), (2025, 3)]:
    SPREAD += [ev(day(y, m, 3), "UNX"), ev(day(y, m, 10), "UNX")]
    SPREAD_IV.append(done("unexcused-absence-notice", day(y, m, 4)))
APRIL = ev(day(2025, 4, 3), "UNX")
APRIL_NOTICE = done("unexcused-absence-notice", day(2025, 4, 4))
A9 = day(2025, 4, 5)

case("wa-09-fifteenth-in-year-petition", PETITION,
     "Two unexcused absences in each month September-March (14) and one in April: the 15th unexcused absence of the "
     "school year, though no month had more than two. Every month's notice and the data-informed steps are done; no "
     "month reached three (no conference) or five (no agreement). The petition is due: not later than the 15th "
     "unexcused absence during the current school year.",
     hist(SPREAD + [APRIL], SPREAD_IV + [APRIL_NOTICE]), A9,
     {"facts.unexcused": 15, "due[*].step": ["truancy-petition"], "next.step": "truancy-petition"})

case("wa-10-fourteen-in-year-no-petition", PETITION,
     "The same year without the April absence: 14 unexcused absences, at most two in any month: neither 7 in a month "
     "nor 15 in the year, so no petition; nothing else is due (April has no unexcused absence).",
     hist(SPREAD, SPREAD_IV), A9,
     {"facts.unexcused": 14, "due[*].step": [], "next": None})

case("wa-11-excused-not-counted-elementary-conference", EXCUSED,
     "Grade 3, age 8. Five excused absences with the parent's excuse in October (school days 1, 2, 3, 5, 6 of the month) "
     "and one excused-code absence without any excuse (8th school day: unverified). None is unexcused, so no notice, "
     "conference or petition; five excused absences in one month in elementary school: the barriers conference is due.",
     hist([ev(day(2024, 10, k), "EXC", ["parent-note"]) for k in (1, 2, 3, 5, 6)] + [ev(day(2024, 10, 8), "EXC")],
          birth=born(8, day(2024, 10, 9)), grade="3"), day(2024, 10, 9),
     {"facts.unexcused": 0, "facts.excused": 5, "facts.unverified": 1, "events[0].excuse": "excused",
      "events[5].excuse": "unverified", "designations[*].id": [COMPULSORY],
      "due[*].step": ["excused-absence-conference"]})

case("wa-12-part-day-majority", MAJORITY,
     "Two part-day unexcused absences in September of a 390-minute day: 150 minutes (less than half: recorded, not "
     "counted) on the 6th school day and 240 minutes (more than half: one unexcused absence) on the 8th; a 20-minute "
     "tardy (present) on the 7th. One unexcused absence this month: the notice is due; one this year: no "
     "data-informed steps.",
     hist([ev(day(2024, 9, 6), "UXP", minutes=150), ev(day(2024, 9, 7), "TDY", minutes=20),
           ev(day(2024, 9, 8), "UXP", minutes=240)]), day(2024, 9, 9),
     {"facts.unexcused": 1, "events[0].excuse": "unexcused", "events[1].status": "present",
      "due[*].step": ["unexcused-absence-notice"]})

case("wa-13-age-seven-enrolled", SIXSEVEN,
     "Age 7, grade 1, enrolled by the parent. Unexcused on the 6th and 8th school days of September: the parent must be "
     "informed (RCW 28A.225.015(2)(a)). Two in the month: no conference (three). The data-informed steps of "
     ".020(1)(c) apply from age 8 (.010), so they are not due.",
     hist([ev(day(2024, 9, 6), "UNX"), ev(day(2024, 9, 8), "UNX")], birth=born(7, day(2024, 9, 9)), grade="1"),
     day(2024, 9, 9),
     {"facts.unexcused": 2, "designations[*].id": ["enrolled-six-or-seven"],
      "due[*].step": ["unexcused-absence-notice"]})

case("wa-14-suspension-excused", SUSPENSION,
     "Three days of out-of-school suspension without educational services (1st-3rd school days of October), with the "
     "suspension notice: excused, so no unexcused absence and no notice; suspensions are also kept out of the excused "
     "count for the barriers conference (and grade 7 is not elementary).",
     hist([ev(day(2024, 10, k), "SUS", ["suspension-notice"]) for k in (1, 2, 3)]), day(2024, 10, 4),
     {"facts.unexcused": 0, "facts.excused": 0, "events[0].excuse": "excused", "due[*].step": [], "next": None})

if __name__ == "__main__":
    print("\n".join(CASES))
