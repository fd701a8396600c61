"""Independent reference for LinearProbeTest.matchesScipyReference.

Minimises the same objective as org.byov.core.probe.LinearProbe.fit with scipy's L-BFGS-B:
mean softmax cross-entropy on features standardised with the population standard deviation,
plus (l2 / 2) * ||W||^2 without the bias. Prints the fitted class probabilities of the four
query points. Run: python3 linear_probe_reference.py (numpy 2.4, scipy 1.17).
"""
import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

X = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, 2.5], [0.5, 3.0], [3.0, 0.0], [2.5, 1.5],
              [1.5, 2.0], [0.2, 0.1], [2.8, 2.9], [1.1, 1.2], [0.3, 2.2], [2.2, 0.4]])
y = np.array([0, 0, 2, 1, 2, 2, 1, 0, 2, 1, 1, 0])
queries = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 1.0], [1.5, 1.5]])
K, l2 = 3, 0.1

mean, std = X.mean(axis=0), X.std(axis=0)
Z = (X - mean) / std
D = Z.shape[1]


def loss(theta):
    W, b = theta[:K * D].reshape(K, D), theta[K * D:]
    logits = Z @ W.T + b
    return np.mean(logsumexp(logits, axis=1) - logits[np.arange(len(y)), y]) + 0.5 * l2 * np.sum(W * W)


result = minimize(loss, np.zeros(K * D + K), method="L-BFGS-B",
                  options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10000})
W, b = result.x[:K * D].reshape(K, D), result.x[K * D:]
logits = ((queries - mean) / std) @ W.T + b
probabilities = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
np.set_printoptions(precision=8, suppress=True)
print(probabilities)
