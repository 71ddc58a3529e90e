# Coding questions: grids and graphs (BFS/DFS), trees, tries. Format as in arrays.py.

# ---- number of islands (DFS/BFS on a grid)
def _grid(rng, r, c, land):
    return [''.join('#' if rng.random() < land else '.' for _ in range(c)) for _ in range(r)]


def _islands_case(rng, r, c, land):
    return f"{r} {c}\n" + "\n".join(_grid(rng, r, c, land)) + "\n"


ISLANDS = dict(
    id="code-count-islands", checker="exact", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
r, c = int(d[0]), int(d[1])
g = [list(row) for row in d[2:2 + r]]
count = 0
for i in range(r):
    for j in range(c):
        if g[i][j] != "#":
            continue
        count += 1
        g[i][j] = "."
        stack = [(i, j)]
        while stack:
            y, x = stack.pop()
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= ny < r and 0 <= nx < c and g[ny][nx] == "#":
                    g[ny][nx] = "."
                    stack.append((ny, nx))
print(count)
''',
    inputs=lambda rng: ["4 5\n##...\n##...\n..#..\n...##\n", "3 3\n###\n#.#\n###\n", "1 1\n.\n", "1 1\n#\n",
                        "3 4\n#.#.\n.#.#\n#.#.\n", _islands_case(rng, 10, 10, 0.4), _islands_case(rng, 50, 80, 0.5),
                        _islands_case(rng, 200, 200, 0.6), "200 200\n" + "\n".join(["#" * 200] * 200) + "\n",
                        _islands_case(rng, 150, 250, 0.3)],
    starter={
        "python": "import sys\n\ndef count_islands(grid):\n    # grid: list of strings, '#' land and '.' water. Land cells touching up, down,\n    # left or right belong to one island. How many islands?\n    return 0\n\nd = sys.stdin.read().split()\nr = int(d[0])\nprint(count_islands(d[2:2 + r]))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/);\n\n// grid: array of strings, '#' land and '.' water. Land cells touching up, down,\n// left or right belong to one island. How many islands?\nfunction countIslands(grid) {\n  return 0;\n}\n\nconst r = Number(d[0]);\nconsole.log(countIslands(d.slice(2, 2 + r)));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// grid: rows of '#' land and '.' water. Land cells touching up, down, left or right\n// belong to one island. How many islands?\nint count_islands(vector<string> grid) {\n  return 0;\n}\n\nint main() {\n  int r, c;\n  cin >> r >> c;\n  vector<string> g(r);\n  for (auto& row : g) cin >> row;\n  cout << count_islands(g) << '\\n';\n}\n",
    })


# ---- shortest path in a grid (BFS)
def _maze_case(rng, r, c, wall):
    g = [list(row.replace('#', 'x')) for row in _grid(rng, r, c, wall)]
    g = [['#' if ch == 'x' else '.' for ch in row] for row in g]
    cells = [(i, j) for i in range(r) for j in range(c)]
    (si, sj), (ei, ej) = rng.sample(cells, 2)
    g[si][sj], g[ei][ej] = 'S', 'E'
    return f"{r} {c}\n" + "\n".join(''.join(row) for row in g) + "\n"


MAZE = dict(
    id="code-grid-shortest-path", checker="exact", cpuSeconds=2,
    ref='''import sys
from collections import deque
d = sys.stdin.read().split()
r, c = int(d[0]), int(d[1])
g = d[2:2 + r]
for i in range(r):
    for j in range(c):
        if g[i][j] == "S": s = (i, j)
        if g[i][j] == "E": e = (i, j)
dist = {s: 0}
q = deque([s])
while q:
    y, x = q.popleft()
    if (y, x) == e:
        break
    for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
        if 0 <= ny < r and 0 <= nx < c and g[ny][nx] != "#" and (ny, nx) not in dist:
            dist[(ny, nx)] = dist[(y, x)] + 1
            q.append((ny, nx))
print(dist.get(e, -1))
''',
    inputs=lambda rng: ["3 4\nS..#\n.#..\n...E\n", "2 2\nS#\n#E\n", "1 2\nSE\n", "3 3\nS.#\n##.\n..E\n",
                        "4 6\nS.....\n#####.\n......\nE#####\n",
                        _maze_case(rng, 10, 10, 0.25), _maze_case(rng, 60, 60, 0.3), _maze_case(rng, 200, 200, 0.35),
                        _maze_case(rng, 200, 250, 0.2), _maze_case(rng, 100, 100, 0.45)],
    starter={
        "python": "import sys\n\ndef shortest_path(grid):\n    # grid: strings of '.', '#' (wall), 'S' (start) and 'E' (exit). Moves go up, down,\n    # left or right. Fewest moves from S to E, or -1 when E cannot be reached.\n    return -1\n\nd = sys.stdin.read().split()\nprint(shortest_path(d[2:2 + int(d[0])]))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/);\n\n// grid: strings of '.', '#' (wall), 'S' (start) and 'E' (exit). Moves go up, down,\n// left or right. Fewest moves from S to E, or -1 when E cannot be reached.\nfunction shortestPath(grid) {\n  return -1;\n}\n\nconsole.log(shortestPath(d.slice(2, 2 + Number(d[0]))));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\n// grid: rows of '.', '#' (wall), 'S' (start) and 'E' (exit). Moves go up, down, left\n// or right. Fewest moves from S to E, or -1 when E cannot be reached.\nint shortest_path(const vector<string>& grid) {\n  return -1;\n}\n\nint main() {\n  int r, c;\n  cin >> r >> c;\n  vector<string> g(r);\n  for (auto& row : g) cin >> row;\n  cout << shortest_path(g) << '\\n';\n}\n",
    })


# ---- binary tree level order (trees, BFS)
def _tree_case(rng, n, lo=-99, hi=99):
    # A random binary tree of n nodes, written in level order with "null" for missing
    # children of present nodes, trailing nulls dropped.
    if n == 0:
        return "1\nnull\n"
    kids = {0: [None, None]}
    for v in range(1, n):
        while True:
            p = rng.randrange(v)
            side = rng.randrange(2)
            if kids[p][side] is None:
                kids[p][side] = v
                kids[v] = [None, None]
                break
    val = [rng.randint(lo, hi) for _ in range(n)]
    out, q = [], [0]
    while q:
        nq = []
        for x in q:
            if x is None:
                out.append("null")
                continue
            out.append(str(val[x]))
            nq.extend(kids[x])
        q = nq
    while out[-1] == "null":
        out.pop()
    return f"{len(out)}\n" + " ".join(out) + "\n"


LEVELS = dict(
    id="code-tree-levels", checker="exact", cpuSeconds=2,
    ref='''import sys
d = sys.stdin.read().split()
vals = d[1:1 + int(d[0])]
if vals and vals[0] != "null":
    # Level order with null markers: each present node takes the next two tokens.
    level, i = [[int(vals[0]), None, None]], 1
    root = level[0]
    while level:
        nxt = []
        for node in level:
            for side in (1, 2):
                if i < len(vals):
                    if vals[i] != "null":
                        node[side] = [int(vals[i]), None, None]
                        nxt.append(node[side])
                    i += 1
        print(" ".join(str(node[0]) for node in level))
        level = nxt
''',
    inputs=lambda rng: ["7\n3 9 20 null null 15 7\n", "5\n1 2 3 4 5\n", "1\n42\n", "1\nnull\n",
                        "7\n1 null 2 null 3 null 4\n", _tree_case(rng, 12), _tree_case(rng, 100),
                        _tree_case(rng, 2000, -10**6, 10**6), _tree_case(rng, 5000)],
    starter={
        "python": "import sys\n\nclass Node:\n    def __init__(self, val):\n        self.val, self.left, self.right = val, None, None\n\ndef level_order(root):\n    # The values of the tree, one list per depth, left to right. root may be None.\n    return []\n\ndef build(vals):\n    # Level order with 'null' for missing children (how the tests write trees).\n    if not vals or vals[0] == 'null':\n        return None\n    root = Node(int(vals[0]))\n    queue, i = [root], 1\n    for node in queue:\n        for side in ('left', 'right'):\n            if i < len(vals):\n                if vals[i] != 'null':\n                    setattr(node, side, Node(int(vals[i])))\n                    queue.append(getattr(node, side))\n                i += 1\n    return root\n\nd = sys.stdin.read().split()\nfor level in level_order(build(d[1:1 + int(d[0])])):\n    print(' '.join(map(str, level)))\n",
        "javascript": "const d = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/);\n\nclass Node {\n  constructor(val) { this.val = val; this.left = null; this.right = null; }\n}\n\n// The values of the tree, one array per depth, left to right. root may be null.\nfunction levelOrder(root) {\n  return [];\n}\n\n// Level order with 'null' for missing children (how the tests write trees).\nfunction build(vals) {\n  if (!vals.length || vals[0] === 'null') return null;\n  const root = new Node(Number(vals[0]));\n  const queue = [root];\n  let i = 1;\n  for (let q = 0; q < queue.length; q++) {\n    for (const side of ['left', 'right']) {\n      if (i < vals.length) {\n        if (vals[i] !== 'null') { queue[q][side] = new Node(Number(vals[i])); queue.push(queue[q][side]); }\n        i++;\n      }\n    }\n  }\n  return root;\n}\n\nconst levels = levelOrder(build(d.slice(1, 1 + Number(d[0]))));\nconsole.log(levels.map((l) => l.join(' ')).join('\\n'));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\nstruct Node {\n  int val;\n  Node* left = nullptr;\n  Node* right = nullptr;\n};\n\n// The values of the tree, one vector per depth, left to right. root may be null.\nvector<vector<int>> level_order(Node* root) {\n  return {};\n}\n\n// Level order with 'null' for missing children (how the tests write trees).\nNode* build(const vector<string>& vals) {\n  if (vals.empty() || vals[0] == \"null\") return nullptr;\n  vector<Node*> queue{new Node{stoi(vals[0])}};\n  size_t i = 1;\n  for (size_t q = 0; q < queue.size(); q++) {\n    for (Node** child : {&queue[q]->left, &queue[q]->right}) {\n      if (i < vals.size()) {\n        if (vals[i] != \"null\") { *child = new Node{stoi(vals[i])}; queue.push_back(*child); }\n        i++;\n      }\n    }\n  }\n  return queue[0];\n}\n\nint main() {\n  int n;\n  cin >> n;\n  vector<string> vals(n);\n  for (auto& v : vals) cin >> v;\n  for (const auto& level : level_order(build(vals))) {\n    for (size_t i = 0; i < level.size(); i++) cout << (i ? \" \" : \"\") << level[i];\n    cout << '\\n';\n  }\n}\n",
    })


# ---- prefix counts (trie)
def _trie_case(rng, q, alpha, maxlen):
    ops = []
    for _ in range(q):
        w = "".join(rng.choice(alpha) for _ in range(rng.randint(1, maxlen)))
        ops.append(("add " if rng.random() < 0.6 else "count ") + w)
    ops.append("count " + rng.choice(alpha))
    return f"{len(ops)}\n" + "\n".join(ops) + "\n"


TRIE = dict(
    id="code-prefix-counter", checker="exact", cpuSeconds=2,
    ref='''import sys
lines = sys.stdin.read().split("\\n")
root = {}
out = []
for line in lines[1:1 + int(lines[0])]:
    op, w = line.split()
    node = root
    if op == "add":
        for ch in w:
            node = node.setdefault(ch, {})
            node["#"] = node.get("#", 0) + 1
    else:
        for ch in w:
            node = node.get(ch)
            if node is None:
                break
        out.append(str(node["#"] if node else 0))
print("\\n".join(out))
''',
    inputs=lambda rng: ["6\nadd apple\nadd app\ncount ap\ncount apple\nadd bat\ncount b\n",
                        "3\ncount a\nadd a\ncount a\n", "4\nadd car\nadd car\ncount car\ncount cart\n",
                        "5\nadd x\nadd xy\nadd xyz\ncount x\ncount xyz\n", _trie_case(rng, 30, "ab", 4),
                        _trie_case(rng, 500, "abc", 6), _trie_case(rng, 4000, "abcde", 8),
                        _trie_case(rng, 5000, "abcdefghijklmnopqrstuvwxyz", 10)],
    starter={
        "python": "import sys\n\nclass PrefixCounter:\n    def add(self, word):\n        pass\n\n    def count(self, prefix):\n        # How many added words (repeats count again) start with prefix.\n        return 0\n\nlines = sys.stdin.read().split('\\n')\npc = PrefixCounter()\nfor line in lines[1:1 + int(lines[0])]:\n    op, w = line.split()\n    if op == 'add':\n        pc.add(w)\n    else:\n        print(pc.count(w))\n",
        "javascript": "const lines = require('fs').readFileSync(0, 'utf8').split('\\n');\n\nclass PrefixCounter {\n  add(word) {}\n  // How many added words (repeats count again) start with prefix.\n  count(prefix) { return 0; }\n}\n\nconst pc = new PrefixCounter();\nconst out = [];\nfor (const line of lines.slice(1, 1 + Number(lines[0]))) {\n  const [op, w] = line.trim().split(' ');\n  if (op === 'add') pc.add(w);\n  else out.push(pc.count(w));\n}\nconsole.log(out.join('\\n'));\n",
        "cpp": "#include <bits/stdc++.h>\nusing namespace std;\n\nclass PrefixCounter {\n public:\n  void add(const string& word) {}\n  // How many added words (repeats count again) start with prefix.\n  int count(const string& prefix) { return 0; }\n};\n\nint main() {\n  int q;\n  cin >> q;\n  PrefixCounter pc;\n  for (int i = 0; i < q; i++) {\n    string op, w;\n    cin >> op >> w;\n    if (op == \"add\") pc.add(w);\n    else cout << pc.count(w) << '\\n';\n  }\n}\n",
    })


QUESTIONS = [ISLANDS, MAZE, LEVELS, TRIE]
