#!/usr/bin/env python3
"""PyTorch reference for bench/run.ts: the same SimCLR training step, timed the same way.

Models mirror lib/models (built from its presets):
  resnet18-w16 / resnet18-w64: CIFAR ResNet-18 (3x3 stem, BasicBlocks w-2w-4w-8w, strides 1-2-2-2,
      1x1 projection shortcuts, global average pool), head Linear(8w, 8w)-ReLU-Linear(8w, 128).
  small-cnn: 3 x (3x3 conv, no bias -> BN -> ReLU) with widths 32-64-128 and 2x2 max-pool between,
      global average pool, head Linear(128, 128)-ReLU-Linear(128, 64).
BatchNorm momentum 0.1, eps 1e-5. Loss NT-Xent (tau 0.5) over 2N embeddings, Adam lr 1e-3, fp32.

Views (optional, --views 1) are batched tensor ops like lib/views: random resized crop with flip (one
grid_sample), colour jitter with probability 0.8 (brightness, contrast, saturation, and hue as a YIQ
rotation - cheaper than torchvision's HSV round trip), grayscale with probability 0.2 (CIFAR); crop
scale 0.4-1 with brightness/contrast only for 28 px grayscale (small-cnn).

Prints one JSON line per run: {"model", "with_views", "images_per_second", "step_ms_median", ...}.
Usage: python3 bench/reference/simclr_step.py --model resnet18-w16 --views 0 --steps 10 --warmup 3
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

WORKLOADS = {
    # name: (pairs N, channels, size, encoder factory, head dims, crop scale)
    "resnet18-w16": (64, 3, 32, lambda: ResNet18(16), (128, 128, 128), (0.08, 1.0)),
    "resnet18-w64": (256, 3, 32, lambda: ResNet18(64), (512, 512, 128), (0.08, 1.0)),
    "small-cnn": (128, 1, 28, lambda: SmallCnn(), (128, 128, 64), (0.4, 1.0)),
}


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class ResNet18(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        blocks, cin = [], width
        for stage, stride in enumerate([1, 2, 2, 2]):
            cout = width * 2**stage
            blocks += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
            cin = cout
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        return F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1).flatten(1)


class SmallCnn(nn.Module):
    def __init__(self, widths=(32, 64, 128)):
        super().__init__()
        layers, cin = [], 1
        for i, w in enumerate(widths):
            layers += [nn.Conv2d(cin, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
            if i < len(widths) - 1:
                layers.append(nn.MaxPool2d(2))
            cin = w
        self.features = nn.Sequential(*layers)

    def forward(self, x):
        return F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)


def nt_xent(z, temperature=0.5):
    """NT-Xent (Chen et al. 2020, eq. 1) over z = cat(z1, z2), (2N, D): anchor k pairs with k +- N."""
    n2 = z.shape[0]
    z = F.normalize(z, dim=1)
    logits = z @ z.t() / temperature
    logits = logits.masked_fill(torch.eye(n2, dtype=torch.bool, device=z.device), -1e9)
    targets = (torch.arange(n2, device=z.device) + n2 // 2) % n2
    return F.cross_entropy(logits, targets)


def views(images, generator, scale, color):
    """One random view per image: resized crop + flip (grid_sample), colour jitter, grayscale."""
    n, c, h, w = images.shape
    dev = images.device
    u = lambda *s: torch.rand(*s, generator=generator, device="cpu").to(dev)
    area = scale[0] + (scale[1] - scale[0]) * u(n)
    ratio = torch.exp(math.log(3 / 4) + (math.log(4 / 3) - math.log(3 / 4)) * u(n))
    cw = torch.sqrt(area * ratio).clamp(max=1.0)
    ch = torch.sqrt(area / ratio).clamp(max=1.0)
    cx = (1 - cw) * (2 * u(n) - 1)
    cy = (1 - ch) * (2 * u(n) - 1)
    flip = torch.where(u(n) < 0.5, -1.0, 1.0)
    theta = torch.zeros(n, 2, 3, device=dev)
    theta[:, 0, 0], theta[:, 0, 2], theta[:, 1, 1], theta[:, 1, 2] = cw * flip, cx, ch, cy
    grid = F.affine_grid(theta, (n, c, h, w), align_corners=False)
    x = F.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)
    apply = (u(n) < 0.8).view(n, 1, 1, 1).float()
    jitter = lambda strength: (1 + strength * (2 * u(n) - 1)).view(n, 1, 1, 1)
    b = jitter(0.4)
    x = x * (apply * b + 1 - apply)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    k = jitter(0.4)
    x = (x - mean) * (apply * k + 1 - apply) + mean
    if color:
        gray = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
        s = jitter(0.4)
        x = (x - gray) * (apply * s + 1 - apply) + gray
        angle = (0.1 * (2 * u(n) - 1) * 2 * math.pi) * apply.view(n)
        to_yiq = torch.tensor([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]], device=dev)
        rot = torch.zeros(n, 3, 3, device=dev)
        rot[:, 0, 0] = 1
        rot[:, 1, 1], rot[:, 1, 2], rot[:, 2, 1], rot[:, 2, 2] = torch.cos(angle), -torch.sin(angle), torch.sin(angle), torch.cos(angle)
        m = torch.linalg.inv(to_yiq) @ rot @ to_yiq
        x = torch.einsum("nij,njhw->nihw", m, x)
        g = (u(n) < 0.2).view(n, 1, 1, 1).float()
        gray = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]).expand_as(x)
        x = g * gray + (1 - g) * x
    return x.clamp(0, 1)


def run(model_name, with_views, steps, warmup, device, seed=42):
    pairs, channels, size, make_encoder, (f, hidden, out), scale = WORKLOADS[model_name]
    torch.manual_seed(seed)
    encoder = make_encoder().to(device)
    head = nn.Sequential(nn.Linear(f, hidden), nn.ReLU(), nn.Linear(hidden, out)).to(device)
    params = list(encoder.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    generator = torch.Generator().manual_seed(seed)
    sources = torch.rand(pairs, channels, size, size, generator=generator).to(device)
    fixed = None if with_views else torch.cat([views(sources, generator, scale, channels == 3) for _ in range(2)])

    def step():
        batch = fixed if fixed is not None else torch.cat([views(sources, generator, scale, channels == 3) for _ in range(2)])
        loss = nt_xent(head(encoder(batch)))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()  # a device sync, as the tfjs side reads its loss

    times, cpu_times = [], []
    for i in range(warmup + steps):
        start, cpu_start = time.perf_counter(), time.process_time()
        step()
        if i >= warmup:
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
    median = statistics.median(times)
    return {
        "implementation": "pytorch",
        "model": model_name,
        "with_views": with_views,
        "batch": 2 * pairs,
        "steps": steps,
        "images_per_second": 2 * pairs / median,
        "step_ms_median": median * 1000,
        "cpu_ms_per_step": statistics.median(cpu_times) * 1000,  # all threads; robust to other load
        "device": device if device == "cpu" else torch.cuda.get_device_name(0),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "peak_bytes": torch.cuda.max_memory_allocated() if device != "cpu" else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(WORKLOADS), default="resnet18-w16")
    parser.add_argument("--views", type=int, choices=[0, 1], default=0, help="1: draw two views every step")
    parser.add_argument("--steps", type=int, default=10, help="timed steps (median reported)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="CPU threads (default: all cores)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.device != "cpu":
        torch.backends.cuda.matmul.allow_tf32 = False  # fp32 for a like-for-like comparison
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.benchmark = True
    print(json.dumps(run(args.model, bool(args.views), args.steps, args.warmup, args.device)), flush=True)


if __name__ == "__main__":
    main()
