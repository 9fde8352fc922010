#!/usr/bin/env python3
"""Regenerates geodata/source/historical-names.csv from yescallop/areacodes (CC0 1.0).

Usage: gen_historical.py <areacodes result.csv> <commit> > geodata/source/historical-names.csv

Takes every county-level record of provinces 31-34 that is no longer in use (弃用) or whose
name changed (变更), follows its successor chain to codes in use today and keeps only codes
present in geodata/source/adcodes.csv. Successors marked with a bracketed year ([1992]) are
earlier partial transfers and are not treated as successors at the time of abolition.
"""
import csv, sys, os

src, commit = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
adcodes = os.path.join(here, '..', '..', 'geodata', 'source', 'adcodes.csv')
table = {r['adcode']: r for r in csv.DictReader(open(adcodes, encoding='utf-8'))}

recs = []
with open(src, encoding='utf-8-sig') as f:
    for r in csv.DictReader(f):
        recs.append(r)
by_code = {}
for r in recs:
    by_code.setdefault(r['代码'], []).append(r)

def end(r):
    return int(r['变更/弃用时间']) if r['变更/弃用时间'] else 9999

def primary(r):
    parts = [p for p in r['新代码'].split(';') if p]
    plain = [p for p in parts if '[' not in p]
    return plain or [p.split('[')[0] for p in parts]

def at(code, year):
    rs = by_code.get(code, [])
    live = [r for r in rs if int(r['启用时间']) <= year < end(r)]
    if live:
        return live[0]
    before = [r for r in rs if int(r['启用时间']) <= year]
    if before:
        return max(before, key=lambda r: int(r['启用时间']))
    return min(rs, key=lambda r: int(r['启用时间'])) if rs else None

def resolve(r, depth=0):
    out = []
    if depth > 20:
        return out
    for c in primary(r):
        nxt = at(c, end(r))
        if nxt is None:
            continue
        if nxt['状态'] == '在用':
            out.append(c)
        elif nxt is r:
            continue
        else:
            out.extend(resolve(nxt, depth + 1))
    seen = []
    for c in out:
        if c not in seen:
            seen.append(c)
    return seen

w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['old_code', 'old_name', 'province_adcode', 'city_adcode', 'valid_from', 'valid_to',
            'successor_codes', 'source'])
rows = []
for r in recs:
    code = r['代码']
    if code[:2] not in ('31', '32', '33', '34') or r['级别'] != '县级' or r['状态'] == '在用':
        continue
    succ = [c for c in resolve(r) if c in table]
    if not succ:
        print(f'no current successor: {code} {r["名称"]}', file=sys.stderr)
        continue
    cities = {table[c]['city_adcode'] or c for c in succ}
    city = cities.pop() if len(cities) == 1 else ''
    rows.append([code, r['名称'], code[:2] + '0000', city, r['启用时间'], r['变更/弃用时间'],
                 '|'.join(succ), f'yescallop/areacodes@{commit[:12]} result.csv (CC0-1.0)'])
rows.sort(key=lambda x: (x[0], x[4]))
w.writerows(rows)
