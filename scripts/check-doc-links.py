#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# scripts/check-doc-links.py [ROOT]: every relative link and image of README.md and docs/*.md
# points at a file that exists, and a #fragment at a heading of it (GitHub's slugs).
import os, re, sys, glob, unicodedata
root = sys.argv[1] if len(sys.argv) > 1 else '.'
future = set()  # files other branches add may be listed here until they land
def slug(h):
    h = re.sub(r'<[^>]+>', '', h).strip().lower()
    out = []
    for ch in h:
        if ch in ' ': out.append('-')
        elif ch in '-_' or ch.isalnum(): out.append(ch)
        elif unicodedata.category(ch).startswith(('L','N')): out.append(ch)
    return ''.join(out)
def anchors(path):
    seen, res, fence = {}, set(), False
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'): fence = not fence; continue
        if fence: continue
        m = re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
        if m:
            s = slug(m.group(2))
            n = seen.get(s, 0); seen[s] = n + 1
            res.add(s if n == 0 else f'{s}-{n}')
    return res
files = [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs', '*.md')))
bad = count = 0
for f in files:
    text = open(f, encoding='utf-8').read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    text = re.sub(r'`[^`\n]*`', '', text)
    for m in re.finditer(r'!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)\)', text):
        t = m.group(1)
        if re.match(r'[a-z]+:', t): continue
        count += 1
        path, _, frag = t.partition('#')
        target = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        rel = os.path.relpath(target, root)
        if not os.path.exists(target):
            if rel in future: continue
            print(f'{os.path.relpath(f, root)}: missing {t}'); bad += 1; continue
        if frag and target.endswith('.md') and frag not in anchors(target):
            print(f'{os.path.relpath(f, root)}: no heading #{frag} in {rel}'); bad += 1
print(f'{count} relative links checked, {bad} broken'); sys.exit(1 if bad else 0)
