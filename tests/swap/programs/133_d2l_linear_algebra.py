import torch

# 2.3 Linear Algebra (d2l.ai)
x = torch.tensor(3.0)
y = torch.tensor(2.0)
print(x + y, x * y, x / y, x ** y)
x = torch.arange(3)
print(x, x[2], len(x), x.shape)
A = torch.arange(6).reshape(3, 2)
print(A, A.T)
A = torch.tensor([[1, 2, 3], [2, 0, 4], [3, 4, 5]])
print(A == A.T)
print(torch.arange(24).reshape(2, 3, 4))

A = torch.arange(6, dtype=torch.float32).reshape(2, 3)
B = A.clone()
print(A, A + B)
print(A * B)
a = 2
X = torch.arange(24).reshape(2, 3, 4)
print(a + X, (a * X).shape)

# reduction
x = torch.arange(3, dtype=torch.float32)
print(x, x.sum())
print(A.shape, A.sum())
print(A.shape, A.sum(axis=0).shape)
print(A.sum(axis=0), A.sum(axis=1))
print(A.sum(axis=[0, 1]) == A.sum())
print(A.mean(), A.sum() / A.numel())
print(A.mean(axis=0), A.sum(axis=0) / A.shape[0])

# non-reduction sum
sum_A = A.sum(axis=1, keepdims=True)
print(sum_A, sum_A.shape)
print(A / sum_A)
print(A.cumsum(axis=0))
print(A.cumsum(dim=1))

# dot products
y = torch.ones(3, dtype=torch.float32)
print(x, y, torch.dot(x, y))
print(torch.sum(x * y))

# matrix-vector products
print(A.shape, x.shape, torch.mv(A, x), A @ x)

# matrix-matrix multiplication
B = torch.ones(3, 4)
print(torch.mm(A, B), A @ B)

# norms
u = torch.tensor([3.0, -4.0])
print(torch.norm(u))
print(torch.abs(u).sum())
print(torch.norm(torch.ones((4, 9))))
print(torch.linalg.norm(u), u.norm(p=1))

# exercises
X = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
print(len(X), X.sum(axis=0).shape, X.sum(axis=1).shape, X.sum(axis=2).shape)
print(A / A.sum(axis=1, keepdim=True))
print(torch.linalg.norm(X))
print(X.norm(dim=2))
print(A.T.T == A)
print(A.T + B[:, :2].T.T[:3])
# common slip: the norm of an integer tensor
try:
    print(torch.norm(torch.arange(4)))
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.norm(torch.arange(4, dtype=torch.float32)), torch.sum(A, axis=1, keepdims=True).shape)
# other norms: p=0 counts nonzeros, p=3, a norm computed in float64
print(torch.norm(torch.tensor([3.0, 0.0, -4.0]), p=0), torch.norm(u, p=3), torch.norm(A, dtype=torch.float64))
