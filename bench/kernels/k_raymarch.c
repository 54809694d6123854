/*
 * k_raymarch.c — volumetric ray-marching kernel (prefix rm_), the inner loop
 * of grid-based neural rendering and medical volume viewers: for every pixel,
 * intersect the ray with the volume's box, step through it, look the density
 * up in a 3D grid with trilinear interpolation, map it through a colour
 * transfer table and composite front to back until the ray is opaque.
 *
 * Only +, -, *, / and sqrt are used (each correctly rounded in both IEEE
 * targets); 1 - exp(-x) is replaced by the rational x / (1 + x) and the
 * camera orbit by the rational circle parametrisation, so native and Wasm
 * builds agree bit for bit without depending on two different libms.
 */
#include "bk_common.h"
#include <math.h>

#define RM_N 64          /* grid is RM_N^3 densities over the unit cube */
#define RM_W 192         /* image width */
#define RM_H 144         /* image height */
#define RM_STEPS 160     /* samples across the cube's diagonal-ish depth */
#define RM_FRAMES_PER_SCALE 4

typedef struct {
  float x, y, z;
} rm_vec;

typedef struct {
  float *grid;              /* RM_N^3, x fastest */
  float lut[256][4];        /* transfer function: r, g, b, extinction */
  float img[RM_H][RM_W][3]; /* current frame */
} rm_scene;

static rm_vec rm_v(float x, float y, float z) { rm_vec v = {x, y, z}; return v; }
static rm_vec rm_add(rm_vec a, rm_vec b) { return rm_v(a.x + b.x, a.y + b.y, a.z + b.z); }
static rm_vec rm_sub(rm_vec a, rm_vec b) { return rm_v(a.x - b.x, a.y - b.y, a.z - b.z); }
static rm_vec rm_mul(rm_vec a, float s) { return rm_v(a.x * s, a.y * s, a.z * s); }
static float rm_dot(rm_vec a, rm_vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static rm_vec rm_cross(rm_vec a, rm_vec b) {
  return rm_v(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
static rm_vec rm_norm(rm_vec a) { return rm_mul(a, 1.0f / sqrtf(rm_dot(a, a))); }

/* Density field: soft blobs (rational fall-off) plus a little grain. */
static void rm_grid_fill(rm_scene *s) {
  enum { NB = 10 };
  float bx[NB], by[NB], bz[NB], ba[NB], bk[NB];
  bk_rng r;
  bk_seed(&r, 0xb10b5u);
  for (int i = 0; i < NB; i++) {
    bx[i] = 0.2f + 0.6f * bk_unit(&r);
    by[i] = 0.2f + 0.6f * bk_unit(&r);
    bz[i] = 0.2f + 0.6f * bk_unit(&r);
    ba[i] = 0.5f + bk_unit(&r);
    bk[i] = 40.0f + 160.0f * bk_unit(&r);
  }
  for (int z = 0; z < RM_N; z++)
    for (int y = 0; y < RM_N; y++)
      for (int x = 0; x < RM_N; x++) {
        float px = (float)x / (RM_N - 1), py = (float)y / (RM_N - 1), pz = (float)z / (RM_N - 1);
        float d = 0.0f;
        for (int i = 0; i < NB; i++) {
          float dx = px - bx[i], dy = py - by[i], dz = pz - bz[i];
          d += ba[i] / (1.0f + bk[i] * (dx * dx + dy * dy + dz * dz));
        }
        d = d - 0.35f + 0.05f * bk_unit(&r);
        s->grid[(z * RM_N + y) * RM_N + x] = d > 0.0f ? d : 0.0f;
      }
}

/* Piecewise-linear colour map (blue -> orange -> white) and extinction. */
static void rm_lut_fill(rm_scene *s) {
  for (int i = 0; i < 256; i++) {
    float t = (float)i / 255.0f;
    float u = t < 0.5f ? t * 2.0f : (t - 0.5f) * 2.0f;
    s->lut[i][0] = t < 0.5f ? 0.1f + 0.8f * u : 0.9f + 0.1f * u;
    s->lut[i][1] = t < 0.5f ? 0.2f + 0.3f * u : 0.5f + 0.5f * u;
    s->lut[i][2] = t < 0.5f ? 0.6f - 0.5f * u : 0.1f + 0.9f * u;
    s->lut[i][3] = t * t * 60.0f;
  }
}

/* Trilinear density at p in grid units (caller keeps p inside [0, N-1)). */
static float rm_sample(const float *g, float px, float py, float pz) {
  int x = (int)px, y = (int)py, z = (int)pz;
  float fx = px - (float)x, fy = py - (float)y, fz = pz - (float)z;
  const float *c = g + (z * RM_N + y) * RM_N + x;
  float c00 = c[0] + (c[1] - c[0]) * fx;
  float c10 = c[RM_N] + (c[RM_N + 1] - c[RM_N]) * fx;
  float c01 = c[RM_N * RM_N] + (c[RM_N * RM_N + 1] - c[RM_N * RM_N]) * fx;
  float c11 = c[RM_N * RM_N + RM_N] + (c[RM_N * RM_N + RM_N + 1] - c[RM_N * RM_N + RM_N]) * fx;
  float c0 = c00 + (c10 - c00) * fy, c1 = c01 + (c11 - c01) * fy;
  return c0 + (c1 - c0) * fz;
}

/* Entry/exit distances of the ray o + t d through the unit cube; 0 if missed. */
static int rm_box(rm_vec o, rm_vec d, float *t0, float *t1) {
  float lo = 0.0f, hi = 1e30f;
  float os[3] = {o.x, o.y, o.z}, ds[3] = {d.x, d.y, d.z};
  for (int a = 0; a < 3; a++) {
    float inv = 1.0f / ds[a];
    float ta = (0.0f - os[a]) * inv, tb = (1.0f - os[a]) * inv;
    if (ta > tb) { float tmp = ta; ta = tb; tb = tmp; }
    if (ta > lo) lo = ta;
    if (tb < hi) hi = tb;
  }
  *t0 = lo;
  *t1 = hi;
  return lo < hi;
}

/* Marches one ray and composites front to back into rgb. */
static void rm_march(const rm_scene *s, rm_vec o, rm_vec d, float rgb[3]) {
  float t0, t1, r = 0.0f, g = 0.0f, b = 0.0f, trans = 1.0f;
  const float dt = 1.7320508f / RM_STEPS, lim = (float)(RM_N - 1) - 1e-3f;
  if (rm_box(o, d, &t0, &t1)) {
    for (float t = t0 + 0.5f * dt; t < t1 && trans > 0.01f; t += dt) {
      rm_vec p = rm_mul(rm_add(o, rm_mul(d, t)), (float)(RM_N - 1));
      float px = p.x < 0.0f ? 0.0f : p.x > lim ? lim : p.x;
      float py = p.y < 0.0f ? 0.0f : p.y > lim ? lim : p.y;
      float pz = p.z < 0.0f ? 0.0f : p.z > lim ? lim : p.z;
      float dens = rm_sample(s->grid, px, py, pz);
      if (dens <= 0.0f) continue;
      int li = (int)(dens * 200.0f);
      const float *e = s->lut[li > 255 ? 255 : li];
      float x = e[3] * dens * dt, alpha = x / (1.0f + x); /* ~ 1 - exp(-x) */
      float w = trans * alpha;
      r += w * e[0];
      g += w * e[1];
      b += w * e[2];
      trans -= w;
    }
  }
  rgb[0] = r + trans * 0.02f;
  rgb[1] = g + trans * 0.02f;
  rgb[2] = b + trans * 0.05f;
}

/* Renders one frame from an orbit position given as a rational angle u. */
static void rm_render(rm_scene *s, float u) {
  float c = (1.0f - u * u) / (1.0f + u * u), sn = 2.0f * u / (1.0f + u * u);
  rm_vec centre = rm_v(0.5f, 0.5f, 0.5f);
  rm_vec eye = rm_add(centre, rm_v(1.6f * c, 0.5f, 1.6f * sn));
  rm_vec fwd = rm_norm(rm_sub(centre, eye));
  rm_vec right = rm_norm(rm_cross(fwd, rm_v(0.0f, 1.0f, 0.0f)));
  rm_vec up = rm_cross(right, fwd);
  for (int y = 0; y < RM_H; y++)
    for (int x = 0; x < RM_W; x++) {
      float sx = ((float)x + 0.5f) / RM_W * 2.0f - 1.0f, sy = 1.0f - ((float)y + 0.5f) / RM_H * 2.0f;
      rm_vec dir = rm_add(fwd, rm_add(rm_mul(right, sx * 0.6f), rm_mul(up, sy * 0.45f)));
      rm_march(s, eye, rm_norm(dir), s->img[y][x]);
    }
}

int main(int argc, char **argv) {
  int scale = bk_scale(argc, argv);
  rm_scene *s = malloc(sizeof *s);
  if (!s) return 1;
  s->grid = malloc(sizeof(float) * RM_N * RM_N * RM_N);
  if (!s->grid) return 1;
  rm_grid_fill(s);
  rm_lut_fill(s);
  bk_timer t;
  bk_timer_start(&t);
  uint32_t sum = BK_HASH_INIT;
  int frames = scale * RM_FRAMES_PER_SCALE;
  for (int f = 0; f < frames; f++) {
    rm_render(s, -0.9f + 1.8f * (float)f / (float)frames);
    for (int y = 0; y < RM_H; y++)
      for (int x = 0; x < RM_W; x++)
        for (int c = 0; c < 3; c++) sum = bk_hash_f32(sum, s->img[y][x][c]);
  }
  bk_report(&t, "raymarch", scale, sum);
  free(s->grid);
  free(s);
  return 0;
}
