# 自定义 autograd.Function: save_for_backward, needs_input_grad, mark_dirty, gradcheck
import torch
from torch.autograd import Function, gradcheck


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        print("needs_input_grad:", ctx.needs_input_grad)
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


inp = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])
weight = torch.tensor([[0.1, 0.2], [0.3, 0.4]], requires_grad=True)
bias = torch.tensor([0.5, -0.5], requires_grad=True)
out = LinearFunction.apply(inp, weight, bias)
print(out)
out.sum().backward()
print(weight.grad, bias.grad, inp.grad)

# gradcheck needs double precision inputs
args = (torch.tensor([[1., 2.], [3., 4.]], dtype=torch.double, requires_grad=True),
        torch.tensor([[0.5, -1.], [2., 0.25]], dtype=torch.double, requires_grad=True))
print(gradcheck(LinearFunction.apply, args, eps=1e-6, atol=1e-4))


class AddOneInplace(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad


a = torch.tensor([1., 2.], requires_grad=True)
b = a.clone()
c = AddOneInplace.apply(b)
print(c is b, c, b._version)
(c * c).sum().backward()
print(a.grad)


class Square(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return 2 * x * grad


v = torch.tensor([3.], requires_grad=True)
sq = Square.apply(v)
print(sq, sq.grad_fn, sq.grad_fn.name())
g, = torch.autograd.grad(sq, v, create_graph=True)
print(g)
print(torch.autograd.grad(g, v))


class BadSquare(Square):
    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return 3 * x * grad


dx = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
print(gradcheck(BadSquare.apply, (dx,), raise_exception=False))
try:
    gradcheck(BadSquare.apply, (dx,))
except RuntimeError as e:
    print(type(e).__name__, e)
