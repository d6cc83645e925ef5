# Benchmark: float arithmetic (an n-body simulation and a Mandelbrot grid). Only + - * / and sqrt are
# used, so results are bit-identical across correct IEEE implementations.
import math
def nbody(steps):
    pi = math.pi
    days = 365.24
    solar_mass = 4 * pi * pi
    bodies = [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, solar_mass],
        [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * days, 7.69901118419740425e-03 * days,
         -6.90460016972063023e-05 * days, 9.54791938424326609e-04 * solar_mass],
        [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * days, 4.99852801234917238e-03 * days,
         2.30417297573763929e-05 * days, 2.85885980666130812e-04 * solar_mass],
        [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * days, 2.37847173959480950e-03 * days,
         -2.96589568540237556e-05 * days, 4.36624404335156298e-05 * solar_mass],
        [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * days, 1.62824170038242295e-03 * days,
         -9.51592254519715870e-05 * days, 5.15138902046611451e-05 * solar_mass],
    ]
    px = py = pz = 0.0
    for b in bodies:
        px += b[3] * b[6]
        py += b[4] * b[6]
        pz += b[5] * b[6]
    sun = bodies[0]
    sun[3] = -px / solar_mass
    sun[4] = -py / solar_mass
    sun[5] = -pz / solar_mass
    pairs = []
    for i in range(len(bodies)):
        for j in range(i + 1, len(bodies)):
            pairs.append((bodies[i], bodies[j]))
    dt = 0.01
    for _ in range(steps):
        for b1, b2 in pairs:
            dx = b1[0] - b2[0]
            dy = b1[1] - b2[1]
            dz = b1[2] - b2[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            m1 = b1[6] * mag
            m2 = b2[6] * mag
            b1[3] -= dx * m2
            b1[4] -= dy * m2
            b1[5] -= dz * m2
            b2[3] += dx * m1
            b2[4] += dy * m1
            b2[5] += dz * m1
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]
    e = 0.0
    for i in range(len(bodies)):
        b = bodies[i]
        e += 0.5 * b[6] * (b[3] * b[3] + b[4] * b[4] + b[5] * b[5])
        for j in range(i + 1, len(bodies)):
            o = bodies[j]
            dx = b[0] - o[0]
            dy = b[1] - o[1]
            dz = b[2] - o[2]
            e -= b[6] * o[6] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e
def mandelbrot(w, h, max_iter):
    inside = 0
    total_iter = 0
    for py in range(h):
        ci = py * 2.0 / h - 1.0
        for px in range(w):
            cr = px * 3.0 / w - 2.0
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter:
                zr2 = zr * zr
                zi2 = zi * zi
                if zr2 + zi2 > 4.0:
                    break
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                n += 1
            if n == max_iter:
                inside += 1
            total_iter += n
    return inside, total_iter
def main():
    e = nbody(NBODY_STEPS)
    inside, iters = mandelbrot(MANDEL_W, MANDEL_H, 100)
    print("bm_float energy", f"{e:.9f}", repr(e))
    print("bm_float mandelbrot", inside, iters)
NBODY_STEPS = 200000
MANDEL_W = 240
MANDEL_H = 160
main()
