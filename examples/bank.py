# bank.py: classes, inheritance, super(), special methods and a user-defined exception.
class InsufficientFunds(Exception):
    def __init__(self, account, amount):
        super().__init__(f"{account.owner} cannot withdraw {amount}")
        self.account = account
        self.amount = amount


class Account:
    next_number = 1000

    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.number = Account.next_number
        Account.next_number += 1
        self.history = []

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(self, amount)
        self.balance -= amount
        self.history.append(("withdraw", amount))

    def __repr__(self):
        return f"{type(self).__name__}({self.owner!r}, {self.balance})"

    def __lt__(self, other):
        return self.balance < other.balance

    def __len__(self):
        return len(self.history)


class Savings(Account):
    def __init__(self, owner, balance=0, rate=0.02):
        super().__init__(owner, balance)
        self.rate = rate

    def add_interest(self):
        interest = round(self.balance * self.rate, 2)
        self.deposit(interest)
        return interest


def main():
    accounts = [Account("ada", 120), Savings("grace", 1000, 0.05), Account("linus")]
    accounts[2].deposit(40)
    print("interest:", accounts[1].add_interest())
    for acc in accounts:
        try:
            acc.withdraw(100)
        except InsufficientFunds as e:
            print("refused:", e, "- short by", e.amount - e.account.balance)
    try:
        accounts[0].deposit(-5)
    except ValueError as e:
        print("error:", e)
    for acc in sorted(accounts):
        print(acc.number, acc, len(acc), "operations")
    print("richest:", max(accounts).owner)


if __name__ == "__main__":
    main()
