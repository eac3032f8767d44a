#!/usr/bin/python3
"""Peer of bench/bench_train.cpp: the same PhysioLite training step in Python PyTorch 1.13.

The model is tests/golden/gen_model.py's PhysioLite (written from docs/model.md (layer table) alone, and
checked there against the C++ network logit for logit); the step is the C++ bench's: positional
channels concatenated per batch, forward, cross-entropy, backward, AdamW (lr 1e-3, wd 1e-3).

Layout "nchw" runs the model as written (nn.Conv1d on [B, C, T]), as a PyTorch user would.
Layout "nhwc" runs the same parameters the way the C++ network does: every layer a 2-D operation
on [B, C, 1, T] in channels-last memory format (src/model/physiolite_net.cpp says why). It shows
how much of the C++ trainer's lead is the layout rather than the language.

  /usr/bin/python3 bench/peers/train_torch.py <uci|mitbih> [batch 64] [threads 2] [warm-up 3]
                                              [steps per repeat 4] [repeats 5] [layout nchw]
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


def conv(x, module):
    w = module.weight
    if w.dim() == 4:
        return F.conv2d(x, w)
    return F.conv2d(x, w.unsqueeze(2), padding=(0, module.padding[0]))


def pool(x, kernel, stride):
    return F.avg_pool2d(x, (1, kernel), (1, stride))


def forward_nhwc(model, x):
    """PhysioLite.forward on [B, C, 1, T] channels-last, parameter for parameter."""
    x = x.unsqueeze(2).contiguous(memory_format=torch.channels_last)
    s = conv(pool(x, model.bank.fp, model.bank.fp), model.bank.stem)
    outs = []
    for branch in model.bank.branches:
        if hasattr(branch, "c1"):
            y = conv(F.relu(conv(F.relu(conv(s, branch.c1)), branch.c2)), branch.c3)
        else:
            y = conv(s, branch)
        outs.append(F.relu(y))
    x = F.relu(conv(pool(torch.cat(outs, 1), model.patch.pt, model.patch.pt), model.patch.proj))
    for block in model.blocks:
        x = conv(F.relu(conv(F.relu(conv(x, block.conv1)), block.conv2)), block.conv3) + x
    x = F.relu(conv(x, model.fusion_barrier.conv))
    x = conv(pool(x, model.head_proj.pp, model.head_proj.pp), model.head_proj.proj)
    return conv(pool(x, model.head.t2, 1), model.head.classifier).flatten(1)


def main():
    name = sys.argv[1]
    numbers = [int(a) for a in sys.argv[2:7]]
    batch, threads, warmup, steps, repeats = numbers + [64, 2, 3, 4, 5][len(numbers):]
    layout = sys.argv[7] if len(sys.argv) > 7 else "nchw"
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    c_raw, t, k, fp, pt, pp = CASES[name]
    model = PhysioLite(c_raw, t, k, fp, pt, pp)
    model.train()
    forward = model if layout == "nchw" else lambda x: forward_nhwc(model, x)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-3)
    pe = positional(t).unsqueeze(0)
    x = torch.randn(batch, c_raw, t)
    y = torch.randint(k, (batch,))
    with torch.no_grad():  # the two layouts are one network
        inputs = torch.cat([x, pe.expand(batch, -1, -1)], dim=1)
        assert torch.allclose(forward(inputs), model(inputs), atol=1e-5)

    def step():
        optimizer.zero_grad()
        inputs = torch.cat([x, pe.expand(batch, -1, -1)], dim=1)
        loss = F.cross_entropy(forward(inputs), y)
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
