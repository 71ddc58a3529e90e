# Writes content/coding_tests/<id>.json: runs each question's Python reference on its
# inputs to fill in `expected`. The first four questions are defined below (seeded by the
# module-level random); the rest live in scripts/coding_bank/*.py, each with its own
# generator seeded by its id, so adding a question never changes another's tests.
# Usage: python3 scripts/gen_coding_tests.py   (from anywhere)
import json, os, subprocess, random, sys, zlib
random.seed(16)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out_dir = os.path.join(root, "content", "coding_tests") + "/"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coding_bank import arrays, graphs, heaps_dp

def run_ref(code, stdin):
    return subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True, check=True).stdout

Q = {}

# ---- merge intervals
merge_ref = '''import sys
data = sys.stdin.read().split()
n = int(data[0])
iv = sorted((int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n))
out = []
for s, e in iv:
    if out and s <= out[-1][1]:
        out[-1][1] = max(out[-1][1], e)
    else:
        out.append([s, e])
print("\\n".join(f"{s} {e}" for s, e in out))
'''
def merge_case(n, hi):
    iv = []
    for _ in range(n):
        s = random.randint(0, hi); iv.append((s, s + random.randint(1, max(1, hi // 5))))
    return f"{n}\n" + "".join(f"{s} {e}\n" for s, e in iv)
merge_inputs = ["3\n1 3\n2 6\n8 10\n", "2\n1 2\n2 3\n",
    "1\n5 7\n", "4\n9 12\n1 4\n3 5\n11 13\n", "3\n1 10\n2 3\n4 5\n", "5\n0 1\n2 3\n4 5\n6 7\n8 9\n",
    merge_case(20, 100), merge_case(200, 10000), merge_case(2000, 100000)]
Q["code-merge-intervals"] = dict(
  checker="exact", ref=merge_ref, inputs=merge_inputs, samples=2,
  starter={
   "python": "import sys\n\ndef merge(intervals):\n    # intervals: list of (start, end) pairs, end exclusive. Return the merged busy intervals, sorted.\n    return intervals\n\ndata = sys.stdin.read().split()\nn = int(data[0])\nintervals = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]\nfor s, e in merge(intervals):\n    print(s, e)\n",
   "javascript": "const data = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\nfunction merge(intervals) {\n  // intervals: array of [start, end) pairs. Return the merged busy intervals, sorted.\n  return intervals;\n}\n\nconst n = data[0];\nconst intervals = [];\nfor (let i = 0; i < n; i++) intervals.push([data[1 + 2 * i], data[2 + 2 * i]]);\nconsole.log(merge(intervals).map(([s, e]) => `${s} ${e}`).join('\\n'));\n",
   "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// intervals: [start, end) pairs. Return the merged busy intervals, sorted.\nvector<pair<long, long>> merge(vector<pair<long, long>> intervals) {\n  return intervals;\n}\n\nint main() {\n  int n;\n  cin >> n;\n  vector<pair<long, long>> v(n);\n  for (auto& [s, e] : v) cin >> s >> e;\n  for (auto [s, e] : merge(v)) cout << s << ' ' << e << '\\n';\n}\n"})

# ---- LRU cache
lru_ref = '''import sys
from collections import OrderedDict
lines = sys.stdin.read().split("\\n")
cap, q = map(int, lines[0].split())
cache = OrderedDict()
out = []
for line in lines[1:1 + q]:
    p = line.split()
    if p[0] == "get":
        k = int(p[1])
        if k in cache:
            cache.move_to_end(k); out.append(str(cache[k]))
        else:
            out.append("-1")
    else:
        k, v = int(p[1]), int(p[2])
        cache[k] = v; cache.move_to_end(k)
        if len(cache) > cap:
            cache.popitem(last=False)
print("\\n".join(out))
'''
def lru_case(cap, q, keys):
    ops = []
    for _ in range(q):
        if random.random() < 0.5: ops.append(f"put {random.randint(1, keys)} {random.randint(1, 1000)}")
        else: ops.append(f"get {random.randint(1, keys)}")
    ops.append(f"get {random.randint(1, keys)}")
    return f"{cap} {len(ops)}\n" + "\n".join(ops) + "\n"
lru_inputs = ["2 9\nput 1 1\nput 2 2\nget 1\nput 3 3\nget 2\nput 4 4\nget 1\nget 3\nget 4\n",
  "1 4\nput 7 70\nget 7\nput 8 80\nget 7\n",
  "2 5\nput 1 1\nput 1 10\nput 2 2\nput 3 3\nget 1\n",
  "3 6\nput 1 1\nput 2 2\nput 3 3\nget 1\nput 4 4\nget 2\n",
  lru_case(5, 50, 10), lru_case(50, 2000, 100), lru_case(1000, 4000, 3000), lru_case(1, 100, 3)]
Q["code-lru-cache"] = dict(checker="exact", ref=lru_ref, inputs=lru_inputs, samples=2,
  starter={
   "python": "import sys\n\nclass LRUCache:\n    def __init__(self, capacity):\n        self.capacity = capacity\n\n    def get(self, key):\n        return -1\n\n    def put(self, key, value):\n        pass\n\nlines = sys.stdin.read().split('\\n')\ncap, q = map(int, lines[0].split())\ncache = LRUCache(cap)\nfor line in lines[1:1 + q]:\n    p = line.split()\n    if p[0] == 'get':\n        print(cache.get(int(p[1])))\n    else:\n        cache.put(int(p[1]), int(p[2]))\n",
   "javascript": "class LRUCache {\n  constructor(capacity) { this.capacity = capacity; }\n  get(key) { return -1; }\n  put(key, value) {}\n}\n\nconst lines = require('fs').readFileSync(0, 'utf8').split('\\n');\nconst [cap, q] = lines[0].split(' ').map(Number);\nconst cache = new LRUCache(cap);\nconst out = [];\nfor (const line of lines.slice(1, 1 + q)) {\n  const p = line.split(' ');\n  if (p[0] === 'get') out.push(cache.get(Number(p[1])));\n  else cache.put(Number(p[1]), Number(p[2]));\n}\nconsole.log(out.join('\\n'));\n",
   "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\nclass LRUCache {\n public:\n  explicit LRUCache(int capacity) : capacity_(capacity) {}\n  int get(int key) { return -1; }\n  void put(int key, int value) {}\n\n private:\n  int capacity_;\n};\n\nint main() {\n  int cap, q;\n  cin >> cap >> q;\n  LRUCache cache(cap);\n  for (int i = 0; i < q; i++) {\n    string op;\n    int k, v;\n    cin >> op >> k;\n    if (op == \"get\") cout << cache.get(k) << '\\n';\n    else { cin >> v; cache.put(k, v); }\n  }\n}\n"})

# ---- top k frequent
topk_ref = '''import sys
from collections import Counter
data = sys.stdin.read().split()
k = int(data[0])
c = Counter(data[1:])
for name, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:k]:
    print(name)
'''
names = ["login", "logout", "error", "timeout", "deploy", "retry", "cache_miss", "gc", "oom", "ping"]
def topk_case(k, n):
    ev = [random.choice(names[:random.randint(2, len(names))]) for _ in range(n)]
    return f"{k}\n" + " ".join(ev) + "\n"
topk_inputs = ["2\nlogin error login retry error login\n", "1\nping\n",
  "3\na b c a b a d\n", "2\nx y x y z\n", "5\nerror\n",
  topk_case(3, 100), topk_case(5, 5000), topk_case(1, 8000), topk_case(10, 1000)]
Q["code-top-k-frequent"] = dict(checker="exact", ref=topk_ref, inputs=topk_inputs, samples=2,
  starter={
   "python": "import sys\n\ndef top_k(events, k):\n    # The k most frequent names; ties: alphabetical. Fewer than k names: all of them.\n    return []\n\ndata = sys.stdin.read().split()\nfor name in top_k(data[1:], int(data[0])):\n    print(name)\n",
   "javascript": "const data = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/);\n\nfunction topK(events, k) {\n  // The k most frequent names; ties: alphabetical. Fewer than k names: all of them.\n  return [];\n}\n\nconsole.log(topK(data.slice(1), Number(data[0])).join('\\n'));\n",
   "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// The k most frequent names; ties: alphabetical. Fewer than k names: all of them.\nvector<string> top_k(const vector<string>& events, int k) {\n  return {};\n}\n\nint main() {\n  int k;\n  cin >> k;\n  vector<string> events;\n  for (string s; cin >> s;) events.push_back(s);\n  for (const auto& n : top_k(events, k)) cout << n << '\\n';\n}\n"})

# ---- build order
order_ref = '''import sys, heapq
lines = sys.stdin.read().split("\\n")
n, m = map(int, lines[0].split())
services = lines[1].split()
deps = {s: 0 for s in services}
after = {s: [] for s in services}
for line in lines[2:2 + m]:
    a, b = line.split()
    deps[a] += 1
    after[b].append(a)
ready = [s for s in services if deps[s] == 0]
heapq.heapify(ready)
order = []
while ready:
    s = heapq.heappop(ready)
    order.append(s)
    for t in after[s]:
        deps[t] -= 1
        if deps[t] == 0:
            heapq.heappush(ready, t)
print(" ".join(order) if len(order) == n else "IMPOSSIBLE")
'''
def order_case(n, m, cyclic):
    svc = [f"s{i:03d}" for i in range(n)]
    perm = svc[:]; random.shuffle(perm)
    edges = set()
    while len(edges) < m:
        i, j = sorted(random.sample(range(n), 2))
        edges.add((perm[j], perm[i]))  # later depends on earlier
    edges = list(edges)
    if cyclic: edges.append((perm[0], perm[-1]))
    return f"{n} {len(edges)}\n" + " ".join(svc) + "\n" + "".join(f"{a} {b}\n" for a, b in edges)
order_inputs = ["3 2\napi db web\napi db\nweb api\n", "2 2\na b\na b\nb a\n",
  "1 0\nsolo\n", "4 0\nd c b a\n", "3 3\nx y z\nx y\ny z\nz x\n",
  order_case(10, 15, False), order_case(50, 200, False), order_case(50, 200, True), order_case(300, 2000, False)]
Q["code-course-order"] = dict(checker="exact", ref=order_ref, inputs=order_inputs, samples=2,
  starter={
   "python": "import sys\n\ndef deploy_order(services, deps):\n    # deps: list of (a, b) meaning a needs b first. Among ready services, pick the\n    # alphabetically smallest. Return the order, or None when there is a cycle.\n    return services\n\nlines = sys.stdin.read().split('\\n')\nn, m = map(int, lines[0].split())\nservices = lines[1].split()\ndeps = [tuple(l.split()) for l in lines[2:2 + m]]\norder = deploy_order(services, deps)\nprint(' '.join(order) if order is not None else 'IMPOSSIBLE')\n",
   "javascript": "const lines = require('fs').readFileSync(0, 'utf8').split('\\n');\n\n// deps: [a, b] pairs meaning a needs b first. Among ready services, pick the\n// alphabetically smallest. Return the order, or null when there is a cycle.\nfunction deployOrder(services, deps) {\n  return services;\n}\n\nconst [n, m] = lines[0].split(' ').map(Number);\nconst services = lines[1].split(' ').filter(Boolean);\nconst deps = lines.slice(2, 2 + m).map((l) => l.split(' '));\nconst order = deployOrder(services, deps);\nconsole.log(order ? order.join(' ') : 'IMPOSSIBLE');\n",
   "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// deps: (a, b) pairs meaning a needs b first. Among ready services, pick the\n// alphabetically smallest. Return the order, or nullopt when there is a cycle.\noptional<vector<string>> deploy_order(const vector<string>& services, const vector<pair<string, string>>& deps) {\n  return services;\n}\n\nint main() {\n  int n, m;\n  cin >> n >> m;\n  vector<string> services(n);\n  for (auto& s : services) cin >> s;\n  vector<pair<string, string>> deps(m);\n  for (auto& [a, b] : deps) cin >> a >> b;\n  auto order = deploy_order(services, deps);\n  if (!order) { cout << \"IMPOSSIBLE\\n\"; return 0; }\n  for (size_t i = 0; i < order->size(); i++) cout << (i ? \" \" : \"\") << (*order)[i];\n  cout << '\\n';\n}\n"})

for b in arrays.QUESTIONS + graphs.QUESTIONS + heaps_dp.QUESTIONS:
    rng = random.Random(zlib.crc32(b["id"].encode()))
    Q[b["id"]] = dict(checker=b["checker"], ref=b["ref"], inputs=b["inputs"](rng), samples=b.get("samples", 2),
                      starter=b["starter"], cpuSeconds=b.get("cpuSeconds"))

for qid, q in Q.items():
    tests = [{"stdin": i, "expected": run_ref(q["ref"], i)} for i in q["inputs"]]
    assert 8 <= len(tests) <= 15, qid
    assert all(len(t["stdin"]) <= 64 * 1024 for t in tests), qid
    doc = {"question": qid, "io": "stdin/stdout", "checker": q["checker"]}
    if q.get("cpuSeconds"):
        doc["cpuSeconds"] = q["cpuSeconds"]
    doc.update({"starter": q["starter"], "reference": {"python": q["ref"]},
                "samples": tests[:q["samples"]], "hidden": tests[q["samples"]:]})
    with open(out_dir + qid + ".json", "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(qid, len(tests), sum(len(t["stdin"]) for t in tests))
