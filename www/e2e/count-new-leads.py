#!/usr/bin/env python3
# Used to get the New Leads numbers written in report.test.mjs, independently
# of kpidash. Run from www/public/sample:  python3 ../../e2e/count-new-leads.py
# Independent count of New Leads per month (UTC) from the sample files:
# people deduplicated by id and by lower-cased trimmed e-mail (transitively),
# earliest created_at; event entities not in people become people at their first event.
import pyarrow.ipc as ipc, collections
t = ipc.open_file(open('people.arrow','rb')).read_all().to_pylist()
ev = ipc.open_stream(open('events.arrows','rb')).read_all().to_pylist()
parent = {}
def find(x):
    parent.setdefault(x, x)
    while parent[x] != x:
        parent[x] = parent[parent[x]]; x = parent[x]
    return x
def union(a, b): parent[find(a)] = find(b)
for i, r in enumerate(t):
    find(('row', i)); union(('row', i), ('id', str(r['id']).strip()))
    e = (r['email'] or '').strip().lower()
    if e: union(('row', i), ('email', e))
groups = collections.defaultdict(list)
for i, r in enumerate(t): groups[find(('row', i))].append(r)
ids = {str(r['id']).strip() for r in t}
created = [min((r['created_at'] for r in g if r['created_at']), default=None) for g in groups.values()]
first = {}
for e in ev:
    k = str(e['entity_id']).strip()
    if k not in ids and e['timestamp'] and (k not in first or e['timestamp'] < first[k]): first[k] = e['timestamp']
created += list(first.values())
print('people', len(t), 'merged', len(t) - len(groups), 'from events', len(first))
c = collections.Counter(x.strftime('%Y-%m') for x in created if x)
for k in sorted(c): print(k, c[k])
q = collections.Counter(f"{x.year}-Q{(x.month-1)//3+1}" for x in created if x)
print(sorted(q.items()))
