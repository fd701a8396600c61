#!/usr/bin/env python3
"""Time one BYOL training step of the default CNN in PyTorch eager mode.

The model matches byov-core's default CNN, projector and predictor. The step runs the online
network on two views, the EMA target without gradients, the symmetrised BYOL loss, AdamW and the
EMA update. Inputs are random tensors (no augmentation), so the Java numbers include work this
script skips. Usage: python3 scripts/bench_torch_byol.py [--batch-size 256] [--threads 2]
"""
import argparse
import copy
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F


def conv_block(cin, cout, stride):
    return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


def encoder():
    layers = []
    for cin, cout, stride in [(1, 32, 1), (32, 64, 2), (64, 128, 2), (128, 256, 2)]:
        layers += conv_block(cin, cout, stride)
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU()]
    return nn.Sequential(*layers)


def mlp(cin, hidden, cout):
    return nn.Sequential(nn.Linear(cin, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, cout))


def byol_loss(p, z):
    return (2 - 2 * (F.normalize(p, dim=1) * F.normalize(z, dim=1)).sum(dim=1)).mean()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup-steps", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)

    online = nn.Sequential(encoder(), mlp(256, 512, 128))
    predictor = mlp(128, 512, 128)
    target = copy.deepcopy(online)
    for parameter in target.parameters():
        parameter.requires_grad_(False)
    optimiser = torch.optim.AdamW(list(online.parameters()) + list(predictor.parameters()), lr=1e-3, weight_decay=1e-2)

    times = []
    for step in range(args.warmup_steps + args.steps):
        view1 = torch.randn(args.batch_size, 1, 28, 28)
        view2 = torch.randn(args.batch_size, 1, 28, 28)
        started = time.perf_counter()
        with torch.no_grad():
            z1, z2 = target(view1), target(view2)
        p1, p2 = predictor(online(view1)), predictor(online(view2))
        loss = byol_loss(p1, z2) + byol_loss(p2, z1)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        with torch.no_grad():
            for t, o in zip(target.state_dict().values(), online.state_dict().values()):
                if t.dtype.is_floating_point:
                    t.mul_(0.99).add_(o, alpha=0.01)
        loss.item()
        if step >= args.warmup_steps:
            times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"pytorch-eager byol batch {args.batch_size}: median step {median:.3f} s, "
          f"{args.batch_size / median:.1f} images/s (torch {torch.__version__}, {args.threads} threads)")


if __name__ == "__main__":
    main()
