#!/usr/bin/env python3
"""Writes the Pennsylvania cases (policy pack `pennsylvania`, schema v2) in this folder, in the
scenario format of ../../scenarios/make.py: a history, an as-of date, the exit status and
expectations on paths of the `attendance eval` output ("a.b[3].c" one value, "due[*].step"
the list of values). Each case also carries "statute" (the sentence it checks, quoted) and
"why" (the hand count). Dates are computed from the calendar below, never typed: nth(n) is
the n-th school day of the year, after(d, n) the n-th school day after d. Every expectation
was counted by hand from the statute; the asserts only guard the dates and ages the hand
counts rely on."""
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

def nth(n): return SD[n - 1]
def after(date, n): return [y for y in SD if y > date][n - 1]

def age_on(birth, on):
    b, o = d(birth), d(on)
    return o.year - b.year - ((o.month, o.day) < (b.month, b.day))

def born(age, on, days_to_birthday=None):
    """A birth date giving `age` whole years on `on`: the birthday was 60 days before `on`,
    or, with days_to_birthday, the next birthday (age + 1) is that many days after `on`."""
    o = d(on)
    if days_to_birthday is None:
        b = o.replace(year=o.year - age) - dt.timedelta(60)
    else:
        b = o.replace(year=o.year - age - 1) + dt.timedelta(days_to_birthday)
    assert age_on(str(b), on) == age, (b, on, age)
    return str(b)

def hist(events, interventions=(), birth="2012-03-10", grade="7"):
    for e in events:
        assert e["date"] in SD, e
    for i in interventions:
        assert i["date"] in SD, i
    return {"student": {"id": "PA1", "birth_date": birth, "grade": grade, "flags": []},
            "calendar": CAL, "enrolled": CAL["first_day"], "events": list(events),
            "interventions": list(interventions)}

def ev(date, code, docs=None, **kw):
    e = {"date": date, "code": code}
    if docs:
        e["documents"] = docs
    e.update(kw)
    return e

def done(step, date, outcome=None):
    i = {"step": step, "date": date, "actor": "attendance-officer"}
    if outcome:
        i["outcome"], i["outcome_date"] = outcome, date
    return i

CASES = []
def case(name, statute, why, history, as_of, expect, exit_code=0):
    assert as_of in SD, as_of
    CASES.append(name)
    sc = {"policy": "pennsylvania", "statute": statute, "why": why, "history": history,
          "as_of": as_of, "exit": exit_code, "expect": expect}
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(sc, f, indent=1)
        f.write("\n")

TRUANT = ("“Truant” shall mean having incurred three (3) or more school days of unexcused absences "
          "during the current school year by a child subject to compulsory school attendance under this article. "
          "(24 P.S. § 13-1326)")
HABITUAL = ("“Habitually truant”: six (6) or more school days of unexcused absences during the current "
            "school year by a child subject to [the] compulsory school attendance [law]. (24 P.S. § 13-1326, "
            "as quoted by a district; lead-in not confirmed)")
NOTICE = ("When a child is truant, the school shall notify in writing the person in parental relation with "
          "the child who resides in the same household as the child of the child's violation of compulsory "
          "school attendance within ten (10) school days of the child's third unexcused absence. (24 P.S. § 13-1333(a))")
CONFERENCE = ("If the child continues to incur unexcused absences after the school has issued the notice under "
              "subsection (a), the school shall then offer by advance written notice a school attendance improvement "
              "conference to the child and the person in parental relation, unless a conference was previously held "
              "following the notice provided under subsection (a). (24 P.S. § 13-1333(b))")
UNDER15 = ("When a child is habitually truant and under fifteen (15) years of age at the time of referral, the "
           "school: (1) Shall refer the child to either of the following: (i) A school-based or community-based "
           "attendance improvement program. (ii) The county children and youth agency ... (24 P.S. § 13-1333.1(a))")
OVER15 = ("When a child is habitually truant and fifteen (15) years of age or older at the time of referral, the "
          "school shall either: (1) Refer the child to a school-based or community-based attendance improvement "
          "program or service. (2) File a citation in the office of the appropriate judge against the child or the "
          "person in parental relation who resides in the same household as the child. (24 P.S. § 13-1333.1(b))")
VERIFY = ("When referring a habitually truant child to the county children and youth agency or filing a citation "
          "with the court because a child has been habitually truant, the school shall provide verification that a "
          "school attendance improvement conference was held. (24 P.S. § 13-1333.1(d))")
CYS15 = ("If a child who is fifteen (15) years of age or older continues to incur additional unexcused absences "
         "after being referred to a school-based or community-based attendance improvement program ..., the school "
         "may refer the child to the county children and youth agency for possible disposition as a dependent child "
         "... (24 P.S. § 13-1333.1(c))")
AGE = ("Compulsory school age: the period of a child's life from the time the child's parents elect to have the "
       "child enter school and which shall be no later than 6 years of age until the child reaches 18 years of age. "
       "(24 P.S. § 13-1326, as quoted in PDE's BEC)")

# Three full unexcused days: school days 5, 9, 14. The third is nth(14).
U3 = [ev(nth(5), "UNX"), ev(nth(9), "UNX"), ev(nth(14), "UNX")]

case("pa-01-two-unexcused-not-truant", TRUANT,
     "Two full days unexcused (school days 5 and 9) is 2 school days of unexcused absences, fewer than 3: "
     "not truant, no notice.",
     hist(U3[:2]), nth(12),
     {"facts.unexcused": 2, "designations[*].id": [], "due[*].step": [], "next": None,
      "events[1].excuse": "unexcused"})

case("pa-02-third-unexcused-truant-notice", NOTICE,
     "Unexcused on school days 5, 9 and 14: the third unexcused day is school day 14, so the child is truant "
     "from that day and the written notice is due within ten school days of it, i.e. by the 10th school day "
     "after school day 14 (school day 24). Age 12: of compulsory school age.",
     hist(U3), nth(16),
     {"facts.unexcused": 3, "designations[*].id": ["truant"], "due[*].step": ["truancy-notice"],
      "next.step": "truancy-notice", "due[0].due_by": after(nth(14), 10), "events[2].excuse": "unexcused"})

case("pa-03-excused-and-unverified-not-counted", TRUANT,
     "Two unexcused days (5, 9); an excused absence with the parent's written excuse (14) and an illness with a "
     "medical note (15) are excused; an excused-code absence without any written excuse (20) is unverified, "
     "not yet unexcused. Only unexcused absences count: 2 school days, not truant.",
     hist([ev(nth(5), "UNX"), ev(nth(9), "UNX"), ev(nth(14), "EXC", ["parent-note"]),
           ev(nth(15), "ILL", ["medical-note"]), ev(nth(20), "EXC")]), nth(22),
     {"facts.unexcused": 2, "facts.unverified": 1, "events[2].excuse": "excused", "events[3].excuse": "excused",
      "events[4].excuse": "unverified", "events[4].missing_documents": {"nonempty": True},
      "designations[*].id": [], "due[*].step": [], "next": None})

case("pa-04-partial-days-add-up-to-three", TRUANT,
     "Full unexcused days on school days 5 and 9 (2 days) plus two part-day unexcused absences of 195 of the "
     "day's 390 minutes on school days 12 and 14 (0.5 + 0.5 day) = exactly 3 school days of unexcused absences "
     "on school day 14 (§ 13-1354: 'three (3) days, or their equivalent'). The 30-minute tardy on school day 13 "
     "is a present day, not an absence, and adds nothing. Truant; notice due within 10 school days of school day 14.",
     hist([ev(nth(5), "UNX"), ev(nth(9), "UNX"), ev(nth(12), "UXP", minutes=195),
           ev(nth(13), "TDY", minutes=30), ev(nth(14), "UXP", minutes=195)]), nth(16),
     {"facts.unexcused": 3, "events[3].status": "present", "designations[*].id": ["truant"],
      "due[*].step": ["truancy-notice"], "due[0].due_by": after(nth(14), 10)})

case("pa-05-absence-after-notice-conference", CONFERENCE,
     "Truant on school day 14 (third unexcused day); the notice was sent on school day 15; a fourth unexcused "
     "day on school day 20 comes after the notice, so the school attendance improvement conference must be "
     "offered. The notice is done and is not due again.",
     hist(U3 + [ev(nth(20), "UNX")], [done("truancy-notice", nth(15), "sent")]), nth(22),
     {"facts.unexcused": 4, "designations[*].id": ["truant"],
      "due[*].step": ["attendance-improvement-conference"], "next.step": "attendance-improvement-conference"})

case("pa-06-notice-done-nothing-more", NOTICE,
     "Truant on school day 14; the notice went out on school day 15 and no unexcused absence followed it: the "
     "notice, once done, is not due again and the conference is not yet due. The child is still truant.",
     hist(U3, [done("truancy-notice", nth(15), "sent")]), nth(22),
     {"facts.unexcused": 3, "designations[*].id": ["truant"], "due[*].step": [], "next": None})

# Habitual: unexcused on school days 5, 9, 14 (truant), 20, 26, 30 (sixth); notice on 15, conference on 23.
U6 = U3 + [ev(nth(20), "UNX"), ev(nth(26), "UNX"), ev(nth(30), "UNX")]
IV = [done("truancy-notice", nth(15), "sent"), done("attendance-improvement-conference", nth(23), "held")]
A7 = nth(32)

case("pa-07-habitual-age-14-referral", UNDER15,
     "Six unexcused days (5, 9, 14, 20, 26, 30): habitually truant (and, being 3 or more, truant too). Notice and "
     "conference are done. The child is 14 on the date asked (turns 15 ten days later), so the under-15 branch: "
     "refer to an attendance improvement program or to children and youth.",
     hist(U6, IV, birth=born(14, A7, days_to_birthday=10), grade="9"), A7,
     {"facts.unexcused": 6, "designations[*].id": ["truant", "habitually-truant"],
      "due[*].step": ["habitual-truancy-referral-under-15"], "next.step": "habitual-truancy-referral-under-15"})

case("pa-08-habitual-age-15-referral-or-citation", OVER15,
     "The same six unexcused days, notice and conference as pa-07, but the child turned 15 sixty days before the "
     "date asked: the 15-or-older branch (program or citation against the child or the parent), not the under-15 one.",
     hist(U6, IV, birth=born(15, A7), grade="9"), A7,
     {"facts.unexcused": 6, "designations[*].id": ["truant", "habitually-truant"],
      "due[*].step": ["habitual-truancy-referral-15-or-older"]})

case("pa-09-five-days-not-habitual", HABITUAL,
     "Five unexcused days (5, 9, 14, 20, 26) with notice and conference done: truant but not habitually truant "
     "(6 needed), so no referral is due.",
     hist(U6[:5], IV, birth=born(14, A7, days_to_birthday=10), grade="9"), A7,
     {"facts.unexcused": 5, "designations[*].id": ["truant"], "due[*].step": [], "next": None})

case("pa-10-age-18-not-compulsory", AGE,
     "Six unexcused days but the student is 18 on the date asked: past compulsory school age, so neither truant nor "
     "habitually truant under § 1326, and no step of the truancy procedure is due.",
     hist(U6, birth=born(18, A7), grade="12"), A7,
     {"facts.unexcused": 6, "designations[*].id": [], "due[*].step": [], "next": None})

case("pa-11-habitual-waits-for-conference", VERIFY,
     "Six unexcused days; the notice went out on school day 15 and three more unexcused days followed, but no "
     "conference was held. The conference is due (§ 1333(b)); the referral is not yet, since it needs verification "
     "that the conference was held.",
     hist(U6, [done("truancy-notice", nth(15), "sent")], birth=born(14, A7, days_to_birthday=10), grade="9"), A7,
     {"facts.unexcused": 6, "designations[*].id": ["truant", "habitually-truant"],
      "due[*].step": ["attendance-improvement-conference"]})

A12 = nth(38)
case("pa-12-fifteen-program-then-absent-cys", CYS15,
     "Age 15. Six unexcused days, notice (15) and conference (23) done; referred to an attendance improvement program "
     "on school day 33; a seventh unexcused day on school day 36 follows the referral: referral to children and youth "
     "is now open to the school (a 'may', shown due for the officer's decision). The referral itself is done.",
     hist(U6 + [ev(nth(36), "UNX")],
          IV + [done("habitual-truancy-referral-15-or-older", nth(33), "attendance-improvement-program")],
          birth=born(15, A12), grade="10"), A12,
     {"facts.unexcused": 7, "designations[*].id": ["truant", "habitually-truant"],
      "due[*].step": ["children-and-youth-referral-15-or-older"]})

case("pa-13-suspension-not-unexcused", TRUANT,
     "Two unexcused days (5, 9) and three days of out-of-school suspension (12, 13, 14). A suspension is the school's "
     "exclusion, coded excused (our reading; see the pack), so 2 school days of unexcused absences: not truant.",
     hist([ev(nth(5), "UNX"), ev(nth(9), "UNX"), ev(nth(12), "SUS"), ev(nth(13), "SUS"), ev(nth(14), "SUS")]), nth(16),
     {"facts.unexcused": 2, "events[2].excuse": "excused", "designations[*].id": [], "due[*].step": [], "next": None})

if __name__ == "__main__":
    print("\n".join(CASES))
