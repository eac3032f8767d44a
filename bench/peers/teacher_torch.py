#!/usr/bin/python3
"""Peer of bench/bench_teacher.cpp: the same Transformer-teacher training step in PyTorch 1.13.

The model is tests/golden/gen_teacher.py's Teacher (checked there against the C++ network logit for
logit and through one AdamW step); the step is the C++ bench's: forward, cross-entropy, backward,
AdamW (lr 5e-4, weight decay 0.05), dropout as the case's config, in training mode.

  /usr/bin/python3 bench/peers/teacher_torch.py <mitbih|uci_tinymyo> [batch 64] [threads 1]
                                                [warm-up 3] [steps per repeat 4] [repeats 5]
prints "<case> <windows/s of repeat 1> <windows/s of repeat 2> ...".
"""
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "golden"))
from gen_teacher import Teacher  # noqa: E402

# (C = raw + 16 positional channels, T, K, patch, D, heads, depth, dropout), as bench_config() in
# bench_teacher.cpp: configs/mitbih_teacher.json and configs/uci_tinymyo_teacher.json.
CASES = {"mitbih": (26, 128, 4, 16, 256, 8, 4, 0.3),
         "uci_tinymyo": (24, 1000, 6, 50, 192, 6, 5, 0.3)}


def main():
    name = sys.argv[1]
    batch, threads, warmup, steps, repeats = (
        int(sys.argv[i]) if len(sys.argv) > i else d for i, d in zip(range(2, 7), (64, 1, 3, 4, 5)))
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    c, t, k, patch, width, heads, depth, dropout = CASES[name]
    model = Teacher(c, t, width, heads, patch, depth, 4, k, dropout=dropout)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.05)
    x = torch.randn(batch, c, t)
    y = torch.randint(k, (batch,))

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    rates = []
    for _ in range(repeats):
        begin = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(steps * batch / (time.perf_counter() - begin))
    print(name, " ".join(f"{r:.2f}" for r in rates))


if __name__ == "__main__":
    main()
