/*
** wts_post.c — post-processing of float outputs: top-k and softmax.
** Pure C: also compiles natively for the unit test.
*/
#include <math.h>

#include "wasitorch_sdk.h"

/*
** Does element i rank before element j? Total order: numbers by value
** (descending), NaN after every number, equal values by lower index.
** A total order makes top-k independent of the selection algorithm.
*/
static int ranks_before(const float *v, uint32_t i, uint32_t j)
{
  int ni = isnan(v[i]), nj = isnan(v[j]);
  if (ni != nj)
    return nj;
  if (!ni && v[i] != v[j])
    return v[i] > v[j];
  return i < j;
}

/*
** Insertion into a sorted k-array: O(n·k), ideal for k = 5 of 1000 classes
** and with no allocation. idx[0..m) stays sorted by ranks_before.
*/
size_t wts_topk(const float *v, size_t n, size_t k, uint32_t *idx)
{
  size_t m = 0;
  if (k > n)
    k = n;
  for (size_t i = 0; i < n && k > 0; i++) {
    uint32_t cand = (uint32_t)i;
    if (m == k && !ranks_before(v, cand, idx[m - 1]))
      continue;
    size_t pos = m < k ? m++ : k - 1;
    while (pos > 0 && ranks_before(v, cand, idx[pos - 1])) {
      idx[pos] = idx[pos - 1];
      pos--;
    }
    idx[pos] = cand;
  }
  return m;
}

/*
** Softmax with the maximum subtracted first so exp() cannot overflow for
** large logits; sums in double so 1000 terms lose no precision.
*/
void wts_softmax(const float *in, float *out, size_t n)
{
  if (n == 0)
    return;
  float mx = -INFINITY; /* NaN never compares greater, so it is skipped */
  for (size_t i = 0; i < n; i++)
    if (in[i] > mx)
      mx = in[i];
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    out[i] = expf(in[i] - mx);
    sum += out[i];
  }
  for (size_t i = 0; i < n; i++)
    out[i] = (float)(out[i] / sum);
}
