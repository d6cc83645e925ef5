# Single inheritance: overriding, super() with no arguments, multi-level chains, isinstance/issubclass.
class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " says " + self.sound
    def kind(self):
        return "animal"
class Dog(Animal):
    sound = "woof"
    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed
    def kind(self):
        return "dog/" + super().kind()
class Puppy(Dog):
    def __init__(self, name):
        super().__init__(name, "mixed")
    def speak(self):
        return super().speak() + " (tiny)"
    def kind(self):
        return "puppy/" + super().kind()
a = Animal("generic")
d = Dog("rex", "lab")
p = Puppy("bit")
for x in [a, d, p]:
    print(x.speak(), "|", x.kind())
print(p.breed, p.name, p.sound)
print(isinstance(p, Puppy), isinstance(p, Dog), isinstance(p, Animal), isinstance(d, Puppy))
print(issubclass(Puppy, Animal), issubclass(Animal, Dog), issubclass(Dog, Dog), issubclass(Dog, object))
print(isinstance(p, (int, Dog)), isinstance(3, (str, int)), isinstance(a, object))
class Base:
    def template(self):
        return "[" + self.hook() + "]"
    def hook(self):
        return "base"
class Derived(Base):
    def hook(self):
        return "derived"
print(Base().template(), Derived().template())
print(Animal.speak(d), Dog.kind(p))
class Shape:
    def __init__(self, sides=0):
        self.sides = sides
class Square(Shape):
    pass
print(Square(4).sides, Square().sides, type(Square(4)).__name__)
