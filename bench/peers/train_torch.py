#!/usr/bin/python3
"""Peer of bench/bench_train.cpp: the same PhysioLite training step in Python PyTorch 1.13.

The model is tests/golden/gen_model.py's PhysioLite (written from REFERENCE.md §1.3 alone, and
checked there against the C++ network logit for logit); the step is the C++ bench's: positional
channels concatenated per batch, forward, cross-entropy, backward, AdamW (lr 1e-3, wd 1e-3).

  /usr/bin/python3 bench/peers/train_torch.py <uci|mitbih> [batch 64] [threads 2] [warm-up 3]
                                              [steps per repeat 4] [repeats 5]
prints "<case> <windows/s of repeat 1> <windows/s of repeat 2> ...".
"""
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "golden"))
from gen_model import PhysioLite, positional  # noqa: E402

# (C_raw, T, K, fp, pt, pp), as bench_config() in bench_train.cpp.
CASES = {"uci": (8, 1024, 6, 4, 4, 4), "mitbih": (10, 128, 4, 4, 4, 2)}


def main():
    name = sys.argv[1]
    batch, threads, warmup, steps, repeats = (
        [int(a) for a in sys.argv[2:]] + [64, 2, 3, 4, 5][len(sys.argv) - 2:])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    c_raw, t, k, fp, pt, pp = CASES[name]
    model = PhysioLite(c_raw, t, k, fp, pt, pp)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-3)
    pe = positional(t).unsqueeze(0)
    x = torch.randn(batch, c_raw, t)
    y = torch.randint(k, (batch,))

    def step():
        optimizer.zero_grad()
        inputs = torch.cat([x, pe.expand(batch, -1, -1)], dim=1)
        loss = F.cross_entropy(model(inputs), y)
        loss.backward()
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
