"""The week roster builder: posts staffed to minimum, nobody in two places at once, fairness, gaps in words."""
import datetime as dt
import random
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from community_desk.core.models.volunteers import PARTS
from community_desk.core.rules.volunteers import (
    Candidate,
    PostNeed,
    availability_code,
    availability_slots,
    availability_text,
    build_week,
)

MONDAY = dt.date(2021, 8, 16)
ALL_WEEK = "1" * 21


def posts(*spec):
    return [PostNeed(i + 1, name, minimum) for i, (name, minimum) in enumerate(spec)]


def check_invariants(plan, post_list, candidates):
    by_id = {c.volunteer_id: availability_slots(c.availability) for c in candidates}
    seen = defaultdict(list)
    for shift in plan.shifts:
        for vid in shift.volunteer_ids:
            # only when available, and only once per (day, part)
            assert (shift.date.weekday(), shift.part) in by_id[vid]
            seen[(shift.date, shift.part)].append(vid)
    for slot, vids in seen.items():
        assert len(vids) == len(set(vids)), f"someone is in two places at once at {slot}"


def test_availability_code_round_trip_and_words():
    slots = {(0, "上午"), (0, "下午"), (0, "晚上"), (2, "晚上")}
    code = availability_code(slots)
    assert len(code) == 21 and availability_slots(code) == slots
    assert availability_text(code) == "周一全天、周三晚上"
    assert availability_text("0" * 21) == "—"


def test_every_post_is_staffed_to_its_minimum_when_enough_people():
    post_list = posts(("东门", 2), ("西门", 1), ("南门", 3))
    candidates = [Candidate(i, ALL_WEEK) for i in range(1, 13)]
    plan = build_week(MONDAY, post_list, candidates, ["张敏", "李强", "王芳"])
    assert plan.gaps == []
    assert len(plan.shifts) == 7 * 3 * 3
    need = {p.post_id: p.min_volunteers for p in post_list}
    for shift in plan.shifts:
        assert len(shift.volunteer_ids) == need[shift.post_id]
        assert shift.lead
    check_invariants(plan, post_list, candidates)
    # leads: three posts per slot and three staff, so nobody leads two posts at once
    by_slot = defaultdict(list)
    for shift in plan.shifts:
        by_slot[(shift.date, shift.part)].append(shift.lead)
    assert all(len(leads) == len(set(leads)) for leads in by_slot.values())


def test_gaps_are_reported_in_words():
    post_list = posts(("东门", 2), ("西门", 2))
    # three volunteers, only one free on Wednesday afternoon
    candidates = [Candidate(1, ALL_WEEK), Candidate(2, availability_code({(2, "下午")})),
                  Candidate(3, availability_code({(0, "上午")}))]
    wednesday_pm_only = [c for c in candidates if (2, "下午") in availability_slots(c.availability)]
    assert len(wednesday_pm_only) == 2
    plan = build_week(MONDAY, post_list, candidates, ["张敏", "李强"])
    assert "周三 下午 西门 缺 2 人" in plan.gaps
    assert "周三 下午 东门 缺 1 人" not in plan.gaps  # 东门 is filled first, by volunteers 1 and 2
    assert "周二 上午 东门 缺 1 人" in plan.gaps  # only volunteer 1 on Tuesday
    assert all("缺带班" not in gap for gap in plan.gaps)
    check_invariants(plan, post_list, candidates)


def test_missing_leads_are_gaps_too():
    plan = build_week(MONDAY, posts(("东门", 1), ("西门", 1)), [Candidate(1, ALL_WEEK), Candidate(2, ALL_WEEK)],
                      ["张敏"])
    assert "周一 上午 西门 缺带班" in plan.gaps
    assert "周一 上午 东门 缺带班" not in plan.gaps


def test_a_post_kept_only_in_the_daytime_gets_no_evening_shift():
    post_list = [PostNeed(1, "东门", 1), PostNeed(2, "南门", 1, ("上午", "下午"))]
    plan = build_week(MONDAY, post_list, [Candidate(i, ALL_WEEK) for i in range(4)], ["张敏", "李强"])
    assert not any(s.post_id == 2 and s.part == "晚上" for s in plan.shifts)
    assert len(plan.shifts) == 7 * 3 + 7 * 2


def test_fair_share_among_equally_available_volunteers():
    post_list = posts(("东门", 2), ("西门", 1))
    candidates = [Candidate(i, ALL_WEEK) for i in range(1, 11)]  # 63 places for 10 people
    plan = build_week(MONDAY, post_list, candidates, [])
    counts = plan.counts()
    assert sum(counts.values()) == 63
    assert max(counts.values()) - min(counts.values()) <= 1
    assert set(counts) == set(range(1, 11))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), volunteers=st.integers(1, 30), groups=st.integers(1, 4),
       minimums=st.lists(st.integers(0, 4), min_size=1, max_size=4))
def test_invariants_hold_for_any_team(seed, volunteers, groups, minimums):
    rng = random.Random(seed)
    patterns = ["".join(rng.choice("01") for _ in range(21)) for _ in range(groups)]
    candidates = [Candidate(i, patterns[i % groups]) for i in range(1, volunteers + 1)]
    post_list = [PostNeed(i + 1, f"{i + 1}号门", m, PARTS if i % 2 == 0 else ("上午", "下午"))
                 for i, m in enumerate(minimums)]
    plan = build_week(MONDAY, post_list, candidates, ["甲", "乙"])
    check_invariants(plan, post_list, candidates)
    counts = plan.counts()
    # fairness: equal availability -> shift counts differ by at most one
    by_pattern = defaultdict(list)
    for c in candidates:
        by_pattern[c.availability].append(counts.get(c.volunteer_id, 0))
    for values in by_pattern.values():
        assert max(values) - min(values) <= 1
    # minimum: a post is short only when everyone available in that slot is already placed
    slots = defaultdict(set)
    for c in candidates:
        for slot in availability_slots(c.availability):
            slots[slot].add(c.volunteer_id)
    placed = defaultdict(set)
    for shift in plan.shifts:
        placed[(shift.date.weekday(), shift.part)].update(shift.volunteer_ids)
    need = {p.post_id: p for p in post_list}
    for shift in plan.shifts:
        short = need[shift.post_id].min_volunteers - len(shift.volunteer_ids)
        key = (shift.date.weekday(), shift.part)
        if short > 0:
            assert placed[key] == slots[key], "a post is short although someone free was left out"
            assert f"{'周一周二周三周四周五周六周日'[key[0] * 2:key[0] * 2 + 2]} {shift.part} " \
                   f"{need[shift.post_id].name} 缺 {short} 人" in plan.gaps
        else:
            assert len(shift.volunteer_ids) == need[shift.post_id].min_volunteers
