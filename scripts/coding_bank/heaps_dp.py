# Coding questions: heaps, intervals, dynamic programming. Format as in arrays.py.

def _ints(rng, n, lo, hi):
    return [rng.randint(lo, hi) for _ in range(n)]


def _list_case(n, xs, head=None):
    return f"{head if head is not None else n}\n" + " ".join(map(str, xs)) + "\n"


# ---- k-th largest in a stream (heap)
KTH = dict(
    id="code-kth-largest-stream", checker="exact", cpuSeconds=2,
    ref='''import sys, heapq
d = sys.stdin.read().split()
k, n = int(d[0]), int(d[1])
h, out = [], []
for x in map(int, d[2:2 + n]):
    heapq.heappush(h, x)
    if len(h) > k:
        heapq.heappop(h)
    out.append(str(h[0]) if len(h) == k else "none")
print("\\n".join(out))
''',
    inputs=lambda rng: ["3 5\n4 5 8 2 3\n", "1 4\n-1 -2 5 0\n", "2 3\n7 7 7\n", "4 3\n1 2 3\n",
                        "3 10\n" + " ".join(map(str, _ints(rng, 10, 0, 20))) + "\n",
                        "10 500\n" + " ".join(map(str, _ints(rng, 500, -1000, 1000))) + "\n",
                        "100 6000\n" + " ".join(map(str, _ints(rng, 6000, -10**6, 10**6))) + "\n",
                        "1 5000\n" + " ".join(map(str, _ints(rng, 5000, 0, 10**6))) + "\n",
                        "2000 5000\n" + " ".join(str(i) for i in range(5000)) + "\n"],
    starter={
        "python": "import sys\n\nclass KthLargest:\n    def __init__(self, k):\n        self.k = k\n\n    def add(self, x):\n        # Record x; return the k-th largest number seen so far, or None if fewer than k.\n        return None\n\nd = sys.stdin.read().split()\nk, n = int(d[0]), int(d[1])\nkl = KthLargest(k)\nout = []\nfor x in d[2:2 + n]:\n    v = kl.add(int(x))\n    out.append('none' if v is None else str(v))\nprint('\\n'.join(out))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\nclass KthLargest {\n  constructor(k) { this.k = k; }\n  // Record x; return the k-th largest number seen so far, or null if fewer than k.\n  add(x) { return null; }\n}\n\nconst [k, n] = d;\nconst kl = new KthLargest(k);\nconst out = [];\nfor (const x of d.slice(2, 2 + n)) {\n  const v = kl.add(x);\n  out.push(v === null ? 'none' : String(v));\n}\nconsole.log(out.join('\\n'));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\nclass KthLargest {\n public:\n  explicit KthLargest(int k) : k_(k) {}\n  // Record x; return the k-th largest number seen so far, or nullopt if fewer than k.\n  optional<int> add(int x) { return nullopt; }\n\n private:\n  int k_;\n};\n\nint main() {\n  int k, n;\n  cin >> k >> n;\n  KthLargest kl(k);\n  for (int i = 0; i < n; i++) {\n    int x;\n    cin >> x;\n    auto v = kl.add(x);\n    if (v) cout << *v << '\\n';\n    else cout << \"none\\n\";\n  }\n}\n",
    })


# ---- running median (two heaps; float checker)
MEDIAN = dict(
    id="code-running-median", checker="float", cpuSeconds=2,
    ref='''import sys, heapq
d = sys.stdin.read().split()
lo, hi, out = [], [], []  # lo: max-heap (negated) of the smaller half
for x in map(int, d[1:1 + int(d[0])]):
    heapq.heappush(lo, -x)
    heapq.heappush(hi, -heapq.heappop(lo))
    if len(hi) > len(lo):
        heapq.heappush(lo, -heapq.heappop(hi))
    m = -lo[0] if len(lo) > len(hi) else (-lo[0] + hi[0]) / 2
    out.append("%.1f" % m)
print("\\n".join(out))
''',
    inputs=lambda rng: ["4\n5 15 1 3\n", "3\n2 2 2\n", "1\n-7\n", "6\n1 2 3 4 5 6\n", "5\n10 -10 0 5 -5\n",
                        _list_case(20, _ints(rng, 20, -50, 50)), _list_case(500, _ints(rng, 500, -10**4, 10**4)),
                        _list_case(5000, _ints(rng, 5000, -10**6, 10**6)),
                        _list_case(5000, list(range(5000, 0, -1)))],
    starter={
        "python": "import sys\n\nclass RunningMedian:\n    def add(self, x):\n        # Record x; return the median of everything seen so far (the mean of the two\n        # middle values when the count is even).\n        return 0.0\n\nd = sys.stdin.read().split()\nrm = RunningMedian()\nprint('\\n'.join('%.1f' % rm.add(int(x)) for x in d[1:1 + int(d[0])]))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\nclass RunningMedian {\n  // Record x; return the median of everything seen so far (the mean of the two middle\n  // values when the count is even).\n  add(x) { return 0; }\n}\n\nconst rm = new RunningMedian();\nconsole.log(d.slice(1, 1 + d[0]).map((x) => rm.add(x).toFixed(1)).join('\\n'));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\nclass RunningMedian {\n public:\n  // Record x; return the median of everything seen so far (the mean of the two middle\n  // values when the count is even).\n  double add(int x) { return 0; }\n};\n\nint main() {\n  int n;\n  cin >> n;\n  RunningMedian rm;\n  for (int i = 0; i < n; i++) {\n    int x;\n    cin >> x;\n    printf(\"%.1f\\n\", rm.add(x));\n  }\n}\n",
    })


# ---- meeting rooms (intervals, heap or sweep)
def _rooms_case(rng, n, hi, maxlen):
    rows = []
    for _ in range(n):
        s = rng.randint(0, hi)
        rows.append(f"{s} {s + rng.randint(1, maxlen)}")
    return f"{n}\n" + "\n".join(rows) + "\n"


ROOMS = dict(
    id="code-meeting-rooms", checker="exact", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
n = int(d[0])
ev = []
for i in range(n):
    s, e = int(d[1 + 2 * i]), int(d[2 + 2 * i])
    ev.append((s, 1))
    ev.append((e, -1))
ev.sort()  # an end (-1) sorts before a start (1) at the same time: [s, e) frees the room
cur = best = 0
for _, dlt in ev:
    cur += dlt
    best = max(best, cur)
print(best)
''',
    inputs=lambda rng: ["3\n0 30\n5 10\n15 20\n", "2\n7 10\n2 4\n", "2\n1 5\n5 10\n", "1\n0 1\n",
                        "4\n1 10\n2 9\n3 8\n4 7\n", _rooms_case(rng, 20, 100, 30), _rooms_case(rng, 500, 10000, 500),
                        _rooms_case(rng, 4000, 10**6, 5000), _rooms_case(rng, 4000, 1000, 10**6)],
    starter={
        "python": "import sys\n\ndef min_rooms(meetings):\n    # meetings: (start, end) pairs, end exclusive. Fewest rooms so no two meetings in\n    # one room overlap (a meeting may start as another ends).\n    return 0\n\nd = sys.stdin.read().split()\nn = int(d[0])\nprint(min_rooms([(int(d[1 + 2 * i]), int(d[2 + 2 * i])) for i in range(n)]))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\n// meetings: [start, end) pairs. Fewest rooms so no two meetings in one room overlap\n// (a meeting may start as another ends).\nfunction minRooms(meetings) {\n  return 0;\n}\n\nconst n = d[0];\nconst meetings = [];\nfor (let i = 0; i < n; i++) meetings.push([d[1 + 2 * i], d[2 + 2 * i]]);\nconsole.log(minRooms(meetings));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// meetings: [start, end) pairs. Fewest rooms so no two meetings in one room overlap\n// (a meeting may start as another ends).\nint min_rooms(vector<pair<int, int>> meetings) {\n  return 0;\n}\n\nint main() {\n  int n;\n  cin >> n;\n  vector<pair<int, int>> m(n);\n  for (auto& [s, e] : m) cin >> s >> e;\n  cout << min_rooms(m) << '\\n';\n}\n",
    })


# ---- coin change (DP)
def _coins_case(rng, n, amount, hi):
    coins = sorted(set(rng.randint(1, hi) for _ in range(n)))
    return f"{len(coins)} {amount}\n" + " ".join(map(str, coins)) + "\n"


COINS = dict(
    id="code-coin-change", checker="exact", cpuSeconds=3,
    ref='''import sys
d = sys.stdin.read().split()
n, amount = int(d[0]), int(d[1])
coins = list(map(int, d[2:2 + n]))
INF = float("inf")
best = [0] + [INF] * amount
for a in range(1, amount + 1):
    for c in coins:
        if c <= a and best[a - c] + 1 < best[a]:
            best[a] = best[a - c] + 1
print(best[amount] if best[amount] != INF else -1)
''',
    inputs=lambda rng: ["3 11\n1 2 5\n", "1 3\n2\n", "1 0\n1\n", "3 6\n1 3 4\n", "2 7\n2 4\n",
                        _coins_case(rng, 4, 100, 30), _coins_case(rng, 6, 3000, 200),
                        _coins_case(rng, 10, 10000, 500), "3 9999\n10 20 50\n", _coins_case(rng, 12, 10000, 997)],
    starter={
        "python": "import sys\n\ndef min_coins(coins, amount):\n    # Fewest coins (each value usable any number of times) adding up to amount, or -1.\n    return -1\n\nd = sys.stdin.read().split()\nn, amount = int(d[0]), int(d[1])\nprint(min_coins(list(map(int, d[2:2 + n])), amount))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\n// Fewest coins (each value usable any number of times) adding up to amount, or -1.\nfunction minCoins(coins, amount) {\n  return -1;\n}\n\nconsole.log(minCoins(d.slice(2, 2 + d[0]), d[1]));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// Fewest coins (each value usable any number of times) adding up to amount, or -1.\nint min_coins(const vector<int>& coins, int amount) {\n  return -1;\n}\n\nint main() {\n  int n, amount;\n  cin >> n >> amount;\n  vector<int> coins(n);\n  for (auto& c : coins) cin >> c;\n  cout << min_coins(coins, amount) << '\\n';\n}\n",
    })


# ---- longest increasing subsequence (DP / patience sorting)
LIS = dict(
    id="code-longest-increasing", checker="exact", cpuSeconds=3,
    ref='''import sys, bisect
d = sys.stdin.read().split()
tails = []
for x in map(int, d[1:1 + int(d[0])]):
    i = bisect.bisect_left(tails, x)
    if i == len(tails):
        tails.append(x)
    else:
        tails[i] = x
print(len(tails))
''',
    inputs=lambda rng: ["8\n10 9 2 5 3 7 101 18\n", "6\n0 1 0 3 2 3\n", "4\n7 7 7 7\n", "1\n5\n", "5\n5 4 3 2 1\n",
                        _list_case(30, _ints(rng, 30, 0, 50)), _list_case(500, _ints(rng, 500, -1000, 1000)),
                        _list_case(2500, _ints(rng, 2500, -10**6, 10**6)), _list_case(2500, list(range(2500))),
                        _list_case(2500, [i % 50 for i in range(2500)])],
    starter={
        "python": "import sys\n\ndef longest_increasing(nums):\n    # Length of the longest strictly increasing subsequence (not necessarily contiguous).\n    return 0\n\nd = sys.stdin.read().split()\nprint(longest_increasing(list(map(int, d[1:1 + int(d[0])]))))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\n// Length of the longest strictly increasing subsequence (not necessarily contiguous).\nfunction longestIncreasing(nums) {\n  return 0;\n}\n\nconsole.log(longestIncreasing(d.slice(1, 1 + d[0])));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// Length of the longest strictly increasing subsequence (not necessarily contiguous).\nint longest_increasing(const vector<int>& nums) {\n  return 0;\n}\n\nint main() {\n  int n;\n  cin >> n;\n  vector<int> v(n);\n  for (auto& x : v) cin >> x;\n  cout << longest_increasing(v) << '\\n';\n}\n",
    })


# ---- edit distance (DP)
def _pair_case(rng, n, m, alpha):
    a = "".join(rng.choice(alpha) for _ in range(n))
    b = list(a[:m]) if m <= n else list(a)
    for _ in range(max(1, m // 5)):  # mutate a copy so the answer is not just max(n, m)
        if b:
            b[rng.randrange(len(b))] = rng.choice(alpha)
    while len(b) < m:
        b.insert(rng.randrange(len(b) + 1), rng.choice(alpha))
    return a + "\n" + "".join(b) + "\n"


EDIT = dict(
    id="code-edit-distance", checker="exact", cpuSeconds=3,
    ref='''import sys
a, b = sys.stdin.read().split()[:2]
prev = list(range(len(b) + 1))
for i in range(1, len(a) + 1):
    cur = [i] + [0] * len(b)
    for j in range(1, len(b) + 1):
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
    prev = cur
print(prev[len(b)])
''',
    inputs=lambda rng: ["horse\nros\n", "intention\nexecution\n", "a\na\n", "abc\nxyz\n", "kitten\nsitting\n",
                        _pair_case(rng, 20, 18, "abc"), _pair_case(rng, 200, 220, "abcdefgh"),
                        _pair_case(rng, 600, 600, "acgt"), _pair_case(rng, 700, 400, "abcdefghijklmnopqrstuvwxyz")],
    starter={
        "python": "import sys\n\ndef edit_distance(a, b):\n    # Fewest single-character inserts, deletes or replacements turning a into b.\n    return 0\n\na, b = sys.stdin.read().split()[:2]\nprint(edit_distance(a, b))\n",
        "javascript": "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/);\n\n// Fewest single-character inserts, deletes or replacements turning a into b.\nfunction editDistance(a, b) {\n  return 0;\n}\n\nconsole.log(editDistance(a, b));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// Fewest single-character inserts, deletes or replacements turning a into b.\nint edit_distance(const string& a, const string& b) {\n  return 0;\n}\n\nint main() {\n  string a, b;\n  cin >> a >> b;\n  cout << edit_distance(a, b) << '\\n';\n}\n",
    })


QUESTIONS = [KTH, MEDIAN, ROOMS, COINS, LIS, EDIT]
