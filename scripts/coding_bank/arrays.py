# Coding questions: arrays, hashing, two pointers, sliding window, stacks, binary search.
# Each entry: id, checker, cpuSeconds, ref (Python reference, staff only), inputs(rng)
# (the first `samples` inputs are the visible samples), starter per language.
# Read by scripts/gen_coding_tests.py, which runs `ref` to fill in the expected outputs.

def _ints(rng, n, lo, hi):
    return [rng.randint(lo, hi) for _ in range(n)]


# ---- two sum (hashing)
def _two_sum_case(rng, n):
    # Values up to 1e9 make a second pair with the same sum unlikely; retry until unique.
    while True:
        nums = _ints(rng, n, -10**9, 10**9)
        i, j = sorted(rng.sample(range(n), 2))
        target = nums[i] + nums[j]
        count, seen = 0, {}
        for x in nums:
            count += seen.get(target - x, 0)
            seen[x] = seen.get(x, 0) + 1
        if count == 1:
            return f"{n} {target}\n" + " ".join(map(str, nums)) + "\n"


TWO_SUM = dict(
    id="code-two-sum", checker="exact", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
n, target = int(d[0]), int(d[1])
nums = list(map(int, d[2:2 + n]))
seen = {}
for j, x in enumerate(nums):
    if target - x in seen:
        print(seen[target - x], j)
        break
    seen[x] = j
''',
    inputs=lambda rng: ["4 9\n2 7 11 15\n", "3 6\n3 2 4\n", "2 6\n3 3\n", "5 0\n-3 1 4 3 9\n",
                        "6 -5\n-1 -2 -7 -4 8 10\n", _two_sum_case(rng, 10), _two_sum_case(rng, 200),
                        _two_sum_case(rng, 2000), _two_sum_case(rng, 5000)],
    starter={
        "python": "import sys\n\ndef two_sum(nums, target):\n    # Return (i, j), i < j, with nums[i] + nums[j] == target. Exactly one pair exists.\n    return (0, 1)\n\nd = sys.stdin.read().split()\nn, target = int(d[0]), int(d[1])\nnums = list(map(int, d[2:2 + n]))\ni, j = two_sum(nums, target)\nprint(i, j)\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\n// Return [i, j], i < j, with nums[i] + nums[j] === target. Exactly one pair exists.\nfunction twoSum(nums, target) {\n  return [0, 1];\n}\n\nconst [n, target] = d;\nconst [i, j] = twoSum(d.slice(2, 2 + n), target);\nconsole.log(`${i} ${j}`);\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// Return {i, j}, i < j, with nums[i] + nums[j] == target. Exactly one pair exists.\npair<int, int> two_sum(const vector<long long>& nums, long long target) {\n  return {0, 1};\n}\n\nint main() {\n  int n;\n  long long target;\n  cin >> n >> target;\n  vector<long long> nums(n);\n  for (auto& x : nums) cin >> x;\n  auto [i, j] = two_sum(nums, target);\n  cout << i << ' ' << j << '\\n';\n}\n",
    })


# ---- balanced brackets (stack)
def _brackets_case(rng, q, maxlen):
    out = []
    for _ in range(q):
        if rng.random() < 0.5:  # build a balanced one
            s, stack = [], []
            for _ in range(rng.randint(1, maxlen // 2)):
                if stack and rng.random() < 0.45:
                    s.append({"(": ")", "[": "]", "{": "}"}[stack.pop()])
                else:
                    c = rng.choice("([{")
                    s.append(c)
                    stack.append(c)
            while stack:
                s.append({"(": ")", "[": "]", "{": "}"}[stack.pop()])
            if rng.random() < 0.3 and len(s) > 1:  # break it
                k = rng.randrange(len(s))
                s[k] = rng.choice("()[]{}")
            out.append("".join(s))
        else:
            out.append("".join(rng.choice("()[]{}") for _ in range(rng.randint(1, maxlen))))
    return f"{q}\n" + "\n".join(out) + "\n"


BRACKETS = dict(
    id="code-balanced-brackets", checker="exact", cpuSeconds=2,
    ref='''import sys
lines = sys.stdin.read().split("\\n")
q = int(lines[0])
pair = {")": "(", "]": "[", "}": "{"}
for s in lines[1:1 + q]:
    st = []
    ok = True
    for c in s.strip():
        if c in "([{":
            st.append(c)
        elif not st or st.pop() != pair[c]:
            ok = False
            break
    print("true" if ok and not st else "false")
''',
    inputs=lambda rng: ["3\n()[]{}\n([)]\n{[()()]}\n", "2\n((\n)(\n", "1\n]\n", "4\n(\n)\n[]]\n{{}}\n",
                        "2\n((((((((((((((((((((()))))))))))))))))))))\n(((((((((((((((((((())))))))))))))))))))\n",
                        _brackets_case(rng, 20, 12), _brackets_case(rng, 200, 40), _brackets_case(rng, 20, 2000),
                        "1\n" + "([{" * 5000 + "}])" * 5000 + "\n"],
    starter={
        "python": "import sys\n\ndef is_balanced(s):\n    # s holds only ()[]{}. True when every bracket is closed by its own kind, in order.\n    return False\n\nlines = sys.stdin.read().split('\\n')\nfor s in lines[1:1 + int(lines[0])]:\n    print('true' if is_balanced(s.strip()) else 'false')\n",
        "javascript": "const lines = require('fs').readFileSync(0, 'utf8').split('\\n');\n\n// s holds only ()[]{}. True when every bracket is closed by its own kind, in order.\nfunction isBalanced(s) {\n  return false;\n}\n\nconst q = Number(lines[0]);\nconst out = [];\nfor (const s of lines.slice(1, 1 + q)) out.push(isBalanced(s.trim()) ? 'true' : 'false');\nconsole.log(out.join('\\n'));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// s holds only ()[]{}. True when every bracket is closed by its own kind, in order.\nbool is_balanced(const string& s) {\n  return false;\n}\n\nint main() {\n  int q;\n  cin >> q;\n  for (int i = 0; i < q; i++) {\n    string s;\n    cin >> s;\n    cout << (is_balanced(s) ? \"true\" : \"false\") << '\\n';\n  }\n}\n",
    })


# ---- longest substring without repeats (sliding window)
def _word(rng, n, alpha):
    return "".join(rng.choice(alpha) for _ in range(n))


UNIQUE_WINDOW = dict(
    id="code-longest-unique-substring", checker="exact", cpuSeconds=2,
    ref='''import sys
s = sys.stdin.readline().strip()
last = {}
best = start = 0
for i, c in enumerate(s):
    if last.get(c, -1) >= start:
        start = last[c] + 1
    last[c] = i
    best = max(best, i - start + 1)
print(best)
''',
    inputs=lambda rng: ["abcabcbb\n", "bbbbb\n", "pwwkew\n", "a\n", "abba\n", "dvdf\n",
                        _word(rng, 50, "abc") + "\n", _word(rng, 5000, "abcdefghijklmnopqrstuvwxyz") + "\n",
                        _word(rng, 60000, "abcdefghijklmnopqrstuvwxyz0123456789") + "\n",
                        "abcdefghijklmnopqrstuvwxyz" * 2000 + "\n"],
    starter={
        "python": "import sys\n\ndef longest_unique(s):\n    # Length of the longest run of consecutive characters of s with no character twice.\n    return 0\n\nprint(longest_unique(sys.stdin.readline().strip()))\n",
        "javascript": "const s = require('fs').readFileSync(0, 'utf8').split('\\n')[0].trim();\n\n// Length of the longest run of consecutive characters of s with no character twice.\nfunction longestUnique(s) {\n  return 0;\n}\n\nconsole.log(longestUnique(s));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// Length of the longest run of consecutive characters of s with no character twice.\nint longest_unique(const string& s) {\n  return 0;\n}\n\nint main() {\n  string s;\n  cin >> s;\n  cout << longest_unique(s) << '\\n';\n}\n",
    })


# ---- search in a rotated sorted array (binary search)
def _rotated_case(rng, n, q):
    vals = sorted(rng.sample(range(-10**6, 10**6), n))
    k = rng.randrange(n)
    arr = vals[k:] + vals[:k]
    qs = [rng.choice(arr) if rng.random() < 0.6 else rng.randint(-10**6, 10**6) for _ in range(q)]
    return f"{n}\n{' '.join(map(str, arr))}\n{q}\n{' '.join(map(str, qs))}\n"


ROTATED = dict(
    id="code-search-rotated", checker="exact", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
n = int(d[0]); a = list(map(int, d[1:1 + n]))
q = int(d[1 + n]); qs = list(map(int, d[2 + n:2 + n + q]))
pos = {x: i for i, x in enumerate(a)}
print("\\n".join(str(pos.get(x, -1)) for x in qs))
''',
    inputs=lambda rng: ["7\n4 5 6 7 0 1 2\n3\n0 3 4\n", "1\n1\n2\n1 0\n", "5\n1 2 3 4 5\n2\n5 1\n",
                        "2\n3 1\n3\n1 3 2\n", "6\n9 12 -4 0 3 7\n4\n-4 7 9 8\n",
                        _rotated_case(rng, 20, 10), _rotated_case(rng, 1000, 500),
                        _rotated_case(rng, 4000, 4000), _rotated_case(rng, 3000, 3000)],
    starter={
        "python": "import sys\n\ndef search(nums, target):\n    # nums: distinct numbers, sorted ascending then rotated. Index of target, or -1.\n    # Aim for O(log n) per query.\n    return -1\n\nd = sys.stdin.read().split()\nn = int(d[0]); nums = list(map(int, d[1:1 + n]))\nq = int(d[1 + n])\nprint('\\n'.join(str(search(nums, int(x))) for x in d[2 + n:2 + n + q]))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\n// nums: distinct numbers, sorted ascending then rotated. Index of target, or -1.\n// Aim for O(log n) per query.\nfunction search(nums, target) {\n  return -1;\n}\n\nconst n = d[0];\nconst nums = d.slice(1, 1 + n);\nconst q = d[1 + n];\nconsole.log(d.slice(2 + n, 2 + n + q).map((t) => search(nums, t)).join('\\n'));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// nums: distinct numbers, sorted ascending then rotated. Index of target, or -1.\n// Aim for O(log n) per query.\nint search(const vector<int>& nums, int target) {\n  return -1;\n}\n\nint main() {\n  int n, q;\n  cin >> n;\n  vector<int> nums(n);\n  for (auto& x : nums) cin >> x;\n  cin >> q;\n  for (int i = 0; i < q; i++) {\n    int t;\n    cin >> t;\n    cout << search(nums, t) << '\\n';\n  }\n}\n",
    })


# ---- container with most water (two pointers)
WATER = dict(
    id="code-container-water", checker="exact", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
n = int(d[0]); h = list(map(int, d[1:1 + n]))
i, j, best = 0, n - 1, 0
while i < j:
    best = max(best, (j - i) * min(h[i], h[j]))
    if h[i] < h[j]:
        i += 1
    else:
        j -= 1
print(best)
''',
    inputs=lambda rng: ["9\n1 8 6 2 5 4 8 3 7\n", "2\n1 1\n", "2\n0 5\n", "5\n1 2 3 4 5\n", "4\n5 5 5 5\n",
                        "10\n" + " ".join(map(str, _ints(rng, 10, 0, 20))) + "\n",
                        "500\n" + " ".join(map(str, _ints(rng, 500, 0, 10000))) + "\n",
                        "8000\n" + " ".join(map(str, _ints(rng, 8000, 0, 10**6))) + "\n",
                        "8000\n" + " ".join(str(i) for i in range(8000)) + "\n"],
    starter={
        "python": "import sys\n\ndef max_area(heights):\n    # Two walls i < j hold (j - i) * min(heights[i], heights[j]) of water. Return the most.\n    return 0\n\nd = sys.stdin.read().split()\nprint(max_area(list(map(int, d[1:1 + int(d[0])]))))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\n// Two walls i < j hold (j - i) * min(h[i], h[j]) of water. Return the most.\nfunction maxArea(heights) {\n  return 0;\n}\n\nconsole.log(maxArea(d.slice(1, 1 + d[0])));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// Two walls i < j hold (j - i) * min(h[i], h[j]) of water. Return the most.\nlong long max_area(const vector<long long>& heights) {\n  return 0;\n}\n\nint main() {\n  int n;\n  cin >> n;\n  vector<long long> h(n);\n  for (auto& x : h) cin >> x;\n  cout << max_area(h) << '\\n';\n}\n",
    })


# ---- daily temperatures (monotonic stack)
WARMER = dict(
    id="code-warmer-days", checker="tokens", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
n = int(d[0]); t = list(map(int, d[1:1 + n]))
ans = [0] * n
st = []
for i, x in enumerate(t):
    while st and t[st[-1]] < x:
        j = st.pop()
        ans[j] = i - j
    st.append(i)
print(" ".join(map(str, ans)))
''',
    inputs=lambda rng: ["8\n73 74 75 71 69 72 76 73\n", "3\n30 40 50\n", "3\n50 40 30\n", "1\n20\n",
                        "5\n20 20 20 20 21\n",
                        "30\n" + " ".join(map(str, _ints(rng, 30, 30, 40))) + "\n",
                        "2000\n" + " ".join(map(str, _ints(rng, 2000, -20, 45))) + "\n",
                        "8000\n" + " ".join(str(100 - i // 100) for i in range(8000)) + "\n",
                        "8000\n" + " ".join(map(str, _ints(rng, 8000, 0, 100))) + "\n"],
    starter={
        "python": "import sys\n\ndef days_until_warmer(temps):\n    # For each day, how many days until a strictly warmer one (0 when none).\n    return [0] * len(temps)\n\nd = sys.stdin.read().split()\nprint(' '.join(map(str, days_until_warmer(list(map(int, d[1:1 + int(d[0])]))))))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\n// For each day, how many days until a strictly warmer one (0 when none).\nfunction daysUntilWarmer(temps) {\n  return temps.map(() => 0);\n}\n\nconsole.log(daysUntilWarmer(d.slice(1, 1 + d[0])).join(' '));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// For each day, how many days until a strictly warmer one (0 when none).\nvector<int> days_until_warmer(const vector<int>& temps) {\n  return vector<int>(temps.size(), 0);\n}\n\nint main() {\n  int n;\n  cin >> n;\n  vector<int> t(n);\n  for (auto& x : t) cin >> x;\n  auto a = days_until_warmer(t);\n  for (size_t i = 0; i < a.size(); i++) cout << (i ? \" \" : \"\") << a[i];\n  cout << '\\n';\n}\n",
    })


# ---- subarrays summing to k (prefix sums + hashing)
SUBARRAY_SUM = dict(
    id="code-subarray-sum", checker="exact", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
n, k = int(d[0]), int(d[1])
seen = {0: 1}
s = count = 0
for x in map(int, d[2:2 + n]):
    s += x
    count += seen.get(s - k, 0)
    seen[s] = seen.get(s, 0) + 1
print(count)
''',
    inputs=lambda rng: ["3 2\n1 1 1\n", "3 3\n1 2 3\n", "1 0\n0\n", "5 0\n0 0 0 0 0\n", "4 -1\n1 -1 -1 1\n",
                        "20 5\n" + " ".join(map(str, _ints(rng, 20, -3, 5))) + "\n",
                        "1000 7\n" + " ".join(map(str, _ints(rng, 1000, -5, 5))) + "\n",
                        "8000 0\n" + " ".join(map(str, _ints(rng, 8000, -2, 2))) + "\n",
                        "8000 100\n" + " ".join(map(str, _ints(rng, 8000, -50, 60))) + "\n"],
    starter={
        "python": "import sys\n\ndef count_subarrays(nums, k):\n    # How many contiguous, non-empty slices of nums add up to exactly k.\n    return 0\n\nd = sys.stdin.read().split()\nn, k = int(d[0]), int(d[1])\nprint(count_subarrays(list(map(int, d[2:2 + n])), k))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n\n// How many contiguous, non-empty slices of nums add up to exactly k.\nfunction countSubarrays(nums, k) {\n  return 0;\n}\n\nconsole.log(countSubarrays(d.slice(2, 2 + d[0]), d[1]));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// How many contiguous, non-empty slices of nums add up to exactly k.\nlong long count_subarrays(const vector<long long>& nums, long long k) {\n  return 0;\n}\n\nint main() {\n  int n;\n  long long k;\n  cin >> n >> k;\n  vector<long long> v(n);\n  for (auto& x : v) cin >> x;\n  cout << count_subarrays(v, k) << '\\n';\n}\n",
    })


# ---- group anagrams (hashing; lines in any order)
def _anagram_case(rng, n, roots):
    base = ["".join(rng.choice("abcdefg") for _ in range(rng.randint(1, 6))) for _ in range(roots)]
    words = set()
    while len(words) < n:
        w = list(rng.choice(base))
        rng.shuffle(w)
        words.add("".join(w))
        if len(words) < n and rng.random() < 0.1:
            words.add("".join(rng.choice("abcdefghij") for _ in range(rng.randint(1, 7))))
    words = sorted(words)[:n]
    rng.shuffle(words)
    return f"{len(words)}\n" + " ".join(words) + "\n"


ANAGRAMS = dict(
    id="code-group-anagrams", checker="lines_unordered", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
groups = {}
for w in d[1:1 + int(d[0])]:
    groups.setdefault("".join(sorted(w)), []).append(w)
for g in groups.values():
    print(" ".join(sorted(g)))
''',
    inputs=lambda rng: ["6\neat tea tan ate nat bat\n", "1\na\n", "3\nab ba abc\n", "4\nlisten silent enlist google\n",
                        "2\nx y\n", _anagram_case(rng, 20, 5), _anagram_case(rng, 300, 40),
                        _anagram_case(rng, 3000, 200), _anagram_case(rng, 5000, 2000)],
    starter={
        "python": "import sys\n\ndef group_anagrams(words):\n    # Words that are rearrangements of each other go in one group. Groups in any order.\n    return [[w] for w in words]\n\nd = sys.stdin.read().split()\nfor g in group_anagrams(d[1:1 + int(d[0])]):\n    print(' '.join(sorted(g)))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/);\n\n// Words that are rearrangements of each other go in one group. Groups in any order.\nfunction groupAnagrams(words) {\n  return words.map((w) => [w]);\n}\n\nconst groups = groupAnagrams(d.slice(1, 1 + Number(d[0])));\nconsole.log(groups.map((g) => [...g].sort().join(' ')).join('\\n'));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// Words that are rearrangements of each other go in one group. Groups in any order.\nvector<vector<string>> group_anagrams(const vector<string>& words) {\n  vector<vector<string>> g;\n  for (const auto& w : words) g.push_back({w});\n  return g;\n}\n\nint main() {\n  int n;\n  cin >> n;\n  vector<string> words(n);\n  for (auto& w : words) cin >> w;\n  for (auto g : group_anagrams(words)) {\n    sort(g.begin(), g.end());\n    for (size_t i = 0; i < g.size(); i++) cout << (i ? \" \" : \"\") << g[i];\n    cout << '\\n';\n  }\n}\n",
    })


QUESTIONS = [TWO_SUM, BRACKETS, UNIQUE_WINDOW, ROTATED, WATER, WARMER, SUBARRAY_SUM, ANAGRAMS]
