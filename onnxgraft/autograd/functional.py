"""torch.autograd.functional: jacobian and hessian built on autograd.grad."""


def jacobian(func, inputs, create_graph=False):
    from ..frontend.engine import grad
    from ..frontend.tensor import Tensor
    from ..frontend.factories import stack_rows
    single = isinstance(inputs, Tensor)
    ins = (inputs,) if single else tuple(inputs)
    ins = tuple(x.detach().requires_grad_(True) for x in ins)
    out = func(*ins)
    flat = out.reshape(-1)
    rows = [[] for _ in ins]
    for i in range(flat.shape[0]):
        gs = grad(flat[i], ins, retain_graph=True, create_graph=create_graph, allow_unused=True,
                  materialize_grads=True)
        for k, g in enumerate(gs):
            rows[k].append(g)
    jac = tuple(stack_rows(r).reshape(tuple(out.shape) + tuple(x.shape)) for r, x in zip(rows, ins))
    return jac[0] if single else jac


def hessian(func, inputs):
    def grad_fn(x):
        from ..frontend.engine import grad
        y = func(x)
        return grad(y, x, create_graph=True)[0]
    return jacobian(grad_fn, inputs)
